// Records script errors: the browser test reads them from the page.
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(String(e.message));
  document.documentElement.setAttribute('data-js-errors', window.__errors.join(' | '));
});
