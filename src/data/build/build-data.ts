/**
 * The data build, top to bottom: load every raw file into one DuckDB session, check them
 * all, and only then write the built incident files and data/README.md, so a failed check
 * leaves the previous output untouched. Input and output folders are parameters so the
 * tests can build into a temporary folder; scripts/build-data.ts passes data/raw and data.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDbSession } from "../duckdb-session.js";
import { joinAttributions, writeBuiltCsv } from "./attribution-join.js";
import { profileBuiltTable, type FileProfile } from "./file-profile.js";
import { checkAttributions, checkDprkMatches, checkIncidentDates } from "./raw-checks.js";
import {
  ATTRIBUTIONS_FILE,
  INCIDENT_SOURCES,
  INCIDENT_ADDED_COLUMNS,
  incidentFileName,
  loadRawCsv,
  numberRows,
  REQUIRED_ATTRIBUTION_COLUMNS,
  REQUIRED_INCIDENT_COLUMNS,
  type LoadedCsv,
} from "./raw-inputs.js";
import { renderReadme } from "./readme.js";

export interface BuildDataOptions {
  /** Folder holding incidents_<source>.csv and dprk_attributions.csv. */
  inputDir: string;
  /** Folder the built CSVs and README.md are written to; created if missing. */
  outputDir: string;
}

export interface BuiltFile {
  /** Path of the written file (outputDir joined with the file name). */
  path: string;
  profile: FileProfile;
}

export interface BuildDataResult {
  files: BuiltFile[];
  readmePath: string;
}

export async function buildData(options: BuildDataOptions): Promise<BuildDataResult> {
  const session = await DuckDbSession.open();
  try {
    // 1. Load and number the attribution list, and check its key.
    const attributions = await loadRawCsv(session, options.inputDir, ATTRIBUTIONS_FILE, "raw_attributions", REQUIRED_ATTRIBUTION_COLUMNS);
    await numberRows(session, attributions, "attributions");
    await checkAttributions(session, attributions, "attributions");
    const [attributionCount] = await session.rows<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM attributions`);

    // 2. Load, number and check every incident list before writing anything.
    const loaded: Array<{ source: (typeof INCIDENT_SOURCES)[number]; incidents: LoadedCsv }> = [];
    for (const source of INCIDENT_SOURCES) {
      const incidents = await loadRawCsv(session, options.inputDir, incidentFileName(source), `raw_${source}`, REQUIRED_INCIDENT_COLUMNS);
      await numberRows(session, incidents, `numbered_${source}`, INCIDENT_ADDED_COLUMNS);
      await checkIncidentDates(session, incidents, `numbered_${source}`);
      await checkDprkMatches(session, incidents, `numbered_${source}`, attributions, "attributions");
      loaded.push({ source, incidents });
    }

    // 3. Join, profile, and write each file; then the README from the profiles.
    mkdirSync(options.outputDir, { recursive: true });
    const files: BuiltFile[] = [];
    for (const { source, incidents } of loaded) {
      const built = `built_${source}`;
      await joinAttributions(session, source, incidents, `numbered_${source}`, "attributions", built);
      const columns = (await session.rows<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${built})`)).map((r) => r.column_name);
      const fileName = incidentFileName(source);
      const path = join(options.outputDir, fileName);
      await writeBuiltCsv(session, built, path);
      files.push({ path, profile: await profileBuiltTable(session, source, fileName, built, columns) });
    }
    const readmePath = join(options.outputDir, "README.md");
    writeFileSync(readmePath, renderReadme(files.map((f) => f.profile), attributionCount?.n ?? 0));
    return { files, readmePath };
  } finally {
    session.close();
  }
}
