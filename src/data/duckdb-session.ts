/**
 * One in-memory DuckDB database per study run. The session time zone is pinned to UTC so
 * that a timestamp without an offset means the same instant on every machine, whatever
 * the process's TZ.
 *
 * Settings for large inputs: DuckDB spills to disk past its memory limit, into a folder of
 * its own under the system's temporary folder (not `.tmp/` in whatever folder the user
 * runs from), and is told to keep to a share of the machine's memory. Insertion order is
 * kept (the default): the incident table's row order is the file's, which is how rows
 * keep their data-row numbers.
 *
 * EVENTSTUDY_SQL_TIMES=1 prints each statement's wall time, CPU time and the process's RSS
 * after it to stderr (to see where `npm run bench`'s time goes). EVENTSTUDY_SQL_PROFILE=<dir>
 * also writes each statement's DuckDB profile (operator times, as EXPLAIN ANALYZE shows
 * them) to <dir>/NNN.txt.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";

export type Row = Record<string, unknown>;

/**
 * DuckDB's memory limit, past which it spills to disk: 4 GB (10M rows take ~1 GB), or 60%
 * of the machine's memory if that is less. DuckDB's own default, 80% of the memory, lets a
 * large study crowd out everything else on the machine.
 */
const MEMORY_LIMIT = `${Math.max(256, Math.min(4096, Math.floor((totalmem() * 0.6) / 2 ** 20)))}MB`;

export class DuckDbSession {
  private readonly timed = process.env.EVENTSTUDY_SQL_TIMES === "1";
  private readonly profileDir = process.env.EVENTSTUDY_SQL_PROFILE;
  private statementCount = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly spillDir: string,
  ) {}

  static async open(): Promise<DuckDbSession> {
    const spillDir = mkdtempSync(join(tmpdir(), "eventstudy-duckdb-"));
    const instance = await DuckDBInstance.create(":memory:", { memory_limit: MEMORY_LIMIT, temp_directory: spillDir });
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbSession(instance, connection, spillDir);
  }

  async run(sql: string, values: ReadonlyArray<string | number | boolean> = []): Promise<void> {
    await this.profileNext();
    const started = this.timed ? { wall: performance.now(), cpu: process.cpuUsage() } : undefined;
    await this.connection.run(sql, values as DuckDBValue[]);
    this.report(sql, started);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT becomes bigint: cast in SQL). */
  async rows<T extends Row = Row>(sql: string, values: ReadonlyArray<string | number | boolean> = []): Promise<T[]> {
    await this.profileNext();
    const started = this.timed ? { wall: performance.now(), cpu: process.cpuUsage() } : undefined;
    const reader = await this.connection.runAndReadAll(sql, values as DuckDBValue[]);
    const rows = reader.getRowObjectsJS() as T[];
    this.report(sql, started);
    return rows;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.spillDir, { recursive: true, force: true });
  }

  /** With EVENTSTUDY_SQL_PROFILE set, sends the next statement's profile to a file of its own. */
  private async profileNext(): Promise<void> {
    if (this.profileDir === undefined || this.profileDir === "") return;
    if (this.statementCount === 0) {
      mkdirSync(this.profileDir, { recursive: true });
      await this.connection.run("PRAGMA enable_profiling = 'query_tree'");
    }
    this.statementCount += 1;
    const file = join(this.profileDir, `${String(this.statementCount).padStart(3, "0")}.txt`);
    await this.connection.run(`SET profiling_output = '${file.replaceAll("'", "''")}'`);
  }

  /** Wall time, CPU time (all threads: steadier when the machine is shared) and RSS after. */
  private report(sql: string, started: { wall: number; cpu: NodeJS.CpuUsage } | undefined): void {
    if (started === undefined) return;
    const cpu = process.cpuUsage(started.cpu);
    const figures = [
      `${(performance.now() - started.wall).toFixed(0).padStart(6)} ms`,
      `cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms`,
      `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0).padStart(5)} MB`,
    ];
    process.stderr.write(`[sql ${figures.join(", ")}] ${sql.replace(/\s+/g, " ").slice(0, 110)}\n`);
  }
}
