// Draws the page's Vega-Lite charts, for any page that has them.
//
// A chart is declared in the HTML as data, never as code (the Content-Security-Policy allows no
// inline script):
//
//   <div id="season-chart" class="chart"></div>
//   <script type="application/json" data-vega-target="#season-chart">{ ...Vega-Lite spec... }</script>
//
// Load vendor/vega, vendor/vega-lite and vendor/vega-embed before this file (all with `defer`, in
// that order). Each spec is drawn once, as SVG, without the export menu. Charts in content that
// htmx swaps in later are drawn too; `window.ironmileCharts.draw(element)` draws those inside an
// element by hand. Without JavaScript, or when a spec cannot be drawn, the page keeps the text
// that every chart must have next to it.
"use strict";
(function () {
  const SELECTOR = 'script[type="application/json"][data-vega-target]';

  function specsIn(root) {
    const found = Array.from(root.querySelectorAll ? root.querySelectorAll(SELECTOR) : []);
    if (root.matches && root.matches(SELECTOR)) found.push(root);
    return found;
  }

  function draw(root) {
    if (typeof window.vegaEmbed !== "function") return; // the libraries did not load: text only
    for (const element of specsIn(root || document)) {
      if (element.dataset.vegaDrawn) continue;
      const target = document.querySelector(element.dataset.vegaTarget);
      if (!target) continue;
      element.dataset.vegaDrawn = "true";
      let spec;
      try {
        spec = JSON.parse(element.textContent);
      } catch (error) {
        console.error("chart spec for " + element.dataset.vegaTarget + " is not JSON", error);
        continue;
      }
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).catch((error) => {
        console.error("chart " + element.dataset.vegaTarget + " could not be drawn", error);
      });
    }
  }

  window.ironmileCharts = { draw: draw };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => draw(document));
  } else {
    draw(document);
  }
  document.addEventListener("htmx:load", (event) => draw(event.detail.elt));
})();
