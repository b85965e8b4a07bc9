/// The report page's inline style sheet and script. Neither loads anything: the page must
/// read offline, as a CI artifact, with no server.
enum ReportPageAssets {
    static let css = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; color: #1d1d1f; }
        h1 { font-size: 1.5rem; } h2 { border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
        h3 { font-size: 1.05rem; margin: .2rem 0; }
        code, pre { font: 13px/1.4 ui-monospace, monospace; }
        pre.trace { background: #f6f6f8; padding: .6rem; overflow-x: auto; }
        nav a { margin-right: 1rem; } .about { color: #555; }
        dl.figures { display: flex; flex-wrap: wrap; gap: .5rem 2rem; }
        dl.figures div { min-width: 7rem; } dt { color: #666; font-size: .85rem; } dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
        table { border-collapse: collapse; margin: .5rem 0; }
        th, td { border-bottom: 1px solid #e4e4e8; padding: .2rem .6rem; text-align: left; vertical-align: top; }
        th { background: #f2f2f5; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.sortable.active th { cursor: pointer; } th.sorted-asc::after { content: " ▲"; } th.sorted-desc::after { content: " ▼"; }
        article.leak { border: 1px solid #ddd; border-left: 5px solid #c33; border-radius: 4px; padding: .6rem 1rem; margin: 1rem 0; }
        article.leak.growth { border-left-color: #d80; } article.leak.watched { border-left-color: #a3c; }
        article.leak.survivors { border-left-color: #36c; } article.leak.cyclic-garbage { border-left-color: #e55; }
        .category { text-transform: uppercase; font-size: .8rem; letter-spacing: .05em; color: #fff; background: #555; padding: .1rem .4rem; border-radius: 3px; }
        .fingerprint { font-family: ui-monospace, monospace; color: #666; }
        .suspect { text-decoration: underline wavy #c33; } .category-summary { color: #555; margin: .2rem 0; }
        figure { margin: .5rem 0; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
        figcaption, .cut, .none { color: #666; font-style: italic; } .warning { color: #a50; }
        #search { font-size: 1rem; padding: .3rem .5rem; width: 20rem; margin: .5rem 0; }
        .hidden { display: none; } footer { margin-top: 3rem; color: #888; font-size: .85rem; }

        """

    /// Sorting for `table.sortable` (numbers by their `data-value`), and a search box that
    /// hides leak groups and table rows not containing the text.
    static let script = """
        (function () {
          "use strict";
          function key(cell) {
            if (!cell) return "";
            var v = cell.getAttribute("data-value");
            return v === null ? cell.textContent.toLowerCase() : Number(v);
          }
          document.querySelectorAll("table.sortable").forEach(function (table) {
            table.classList.add("active");
            var heads = table.querySelectorAll("thead th");
            heads.forEach(function (th, column) {
              th.addEventListener("click", function () {
                var ascending = !th.classList.contains("sorted-asc");
                heads.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
                th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = key(a.cells[column]), y = key(b.cells[column]);
                  var order = x < y ? -1 : x > y ? 1 : 0;
                  return ascending ? order : -order;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              });
            });
          });
          var box = document.createElement("input");
          box.type = "search"; box.id = "search"; box.placeholder = "Search types, ids, fingerprints…";
          box.setAttribute("aria-label", "Search the report");
          var nav = document.querySelector("header nav");
          nav.parentNode.insertBefore(box, nav.nextSibling);
          box.addEventListener("input", function () {
            var text = box.value.trim().toLowerCase();
            document.querySelectorAll("article.leak, table.sortable tbody tr").forEach(function (item) {
              item.classList.toggle("hidden", text !== "" && item.textContent.toLowerCase().indexOf(text) < 0);
            });
          });
        })();

        """
}
