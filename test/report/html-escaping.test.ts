// Strings from the data and the spec reach the report as text, never as markup.
import { describe, expect, it } from "vitest";
import { renderReportFiles } from "../../src/run-studies.js";
import { escapeHtml, html } from "../../src/report/html.js";
import { basicSpec, runFixture } from "../helpers/study-fixture.js";

const hostile = ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "javascript:alert(3)"];

describe("report HTML", () => {
  it("escapes incident names, group names and titles", async () => {
    const csv = [
      "date,amount,name,actor",
      `2024-01-02,500,"${hostile[0]}",a`,
      `2024-01-12,900,"${hostile[1]?.replaceAll('"', '""')}",a`,
      `2024-01-13,100,${hostile[2]},b`,
    ].join("\n");
    const spec = basicSpec({ groups: 'groups:\n  - name: "<b>A</b>"\n    where: {actor: a}\n  - name: Rest\n    otherwise: true' }).replace(
      "title: Test study",
      'title: "Study <script>alert(4)</script>"',
    );
    const run = await runFixture(spec, csv);
    const files = await renderReportFiles(run);
    const page = files.find((file) => file.path === "index.html")?.content ?? "";
    expect(page).not.toContain("<script");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>A</b>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(page).toContain("&lt;b&gt;A&lt;/b&gt;");
    expect(page).toContain("Study &lt;script&gt;alert(4)&lt;/script&gt;");
    expect(page).not.toMatch(/href=["']?javascript:/i);
  });
});

describe("html template", () => {
  it("escapes interpolations, nested arrays included, and leaves html fragments alone", () => {
    const inner = html`<em>${"<i>"}</em>`;
    expect(html`<p title="${'a"b'}">${[inner, "&"]}</p>`.text).toBe('<p title="a&quot;b"><em>&lt;i&gt;</em>&amp;</p>');
    expect(escapeHtml(`'`)).toBe("&#39;");
  });
});

describe("incident links", () => {
  it("links http(s) URLs with rel=noopener noreferrer and never other schemes", async () => {
    const { incidentName } = await import("../../src/report/render-report.js");
    expect(incidentName("Hack", "https://example.org/a?b=1&c=2").text).toBe('<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">Hack</a>');
    expect(incidentName("Hack", "javascript:alert(1)").text).toBe("Hack");
    expect(incidentName("Hack", ' "><script>x</script>').text).toBe("Hack");
    expect(incidentName(null, "JAVASCRIPT:alert(1)").text).toBe("JAVASCRIPT:alert(1)");
    expect(incidentName("<b>", 'https://x.org/"onmouseover="alert(1)').text).toBe('<a href="https://x.org/&quot;onmouseover=&quot;alert(1)" rel="noopener noreferrer">&lt;b&gt;</a>');
  });
});
