"""The static, offline rendering of the Evidence pages in reports/ (see reports/README.md).

pages.py       an Evidence page read with markdown-it-py (+ front matter as YAML): markdown
               tokens, ```sql name``` queries, components with their props
components.py  the supported components and props (SPECS), their checks and HTML
charts.py      BarChart, LineChart, ScatterPlot, Heatmap as inline SVG (matplotlib)
formatting.py  values as text (Evidence's pct/num formats)
site.py        sources and page queries on DuckDB, markdown-it rendering, the site on disk
templates/     Jinja2: the page shell, one macro per component, the CSS and the two scripts
"""

from .components import COMPONENTS, SPECS
from .pages import Component, Page, Ref, load_pages, parse_page, source_queries
from .site import Site, render_site

__all__ = [
    "COMPONENTS",
    "SPECS",
    "Component",
    "Page",
    "Ref",
    "Site",
    "load_pages",
    "parse_page",
    "render_site",
    "source_queries",
]
