/**
 * One in-memory DuckDB database per study run. The session time zone is pinned to UTC so
 * that a timestamp without an offset means the same instant on every machine, whatever
 * the process's TZ.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";

export type Row = Record<string, unknown>;

export class DuckDbSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<DuckDbSession> {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckDbSession(instance, connection);
  }

  async run(sql: string, values: ReadonlyArray<string | number | boolean> = []): Promise<void> {
    await this.connection.run(sql, values as DuckDBValue[]);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT becomes bigint: cast in SQL). */
  async rows<T extends Row = Row>(sql: string, values: ReadonlyArray<string | number | boolean> = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, values as DuckDBValue[]);
    return reader.getRowObjectsJS() as T[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
