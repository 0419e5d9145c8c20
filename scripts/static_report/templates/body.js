// Sort a table on a header click (numbers as numbers), then mark the page as rendered.
document.querySelectorAll('table.datatable th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.dataset.asc !== '1';
    th.dataset.asc = asc ? '1' : '0';
    var key = function (row) {
      var text = row.cells[i].innerText.replace(/[,%]/g, '');
      var number = parseFloat(text);
      return isNaN(number) ? text : number;
    };
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
document.documentElement.setAttribute('data-rendered', '1');
