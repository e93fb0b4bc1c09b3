/**
 * Renders a Vega-Lite spec to an SVG string in Node, with no browser or canvas: vega's
 * headless view ("none" renderer) builds the scenegraph and serializes it to SVG.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
