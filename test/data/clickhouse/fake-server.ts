/**
 * A stand-in for a ClickHouse HTTP port on loopback, for the tests that need no real
 * server: it answers each request's SQL as the test says, never answers, or drops the
 * connection; and a port nothing listens on. Every SQL it receives is kept.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { afterEach, beforeEach, expect } from "vitest";
import { ClickHouseError } from "../../../src/data/clickhouse/http-client.js";
import { DataError, ExitCode } from "../../../src/errors.js";

export type FakeAnswer = { status: number; body: string } | "never" | "drop";

export interface FakeClickHouse {
  url: string;
  /** The SQL of every request, in order. */
  queries: string[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

export async function fakeClickHouse(answer: (sql: string) => FakeAnswer): Promise<FakeClickHouse> {
  const queries: string[] = [];
  const server = createHttpServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const sql = body.replace(/\nFORMAT JSONEachRow$/, "");
      queries.push(sql);
      const reply = answer(sql);
      if (reply === "never") return;
      if (reply === "drop") {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status, { "Content-Type": "text/plain; charset=UTF-8" }).end(reply.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, queries };
}

/** JSONEachRow rows, as ClickHouse writes them. */
export function rows(...items: object[]): { status: number; body: string } {
  return { status: 200, body: items.map((item) => `${JSON.stringify(item)}\n`).join("") };
}

/** A loopback port nothing listens on: bound by the OS, then released. */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

const CLICKHOUSE_ENVIRONMENT = ["EVENTSTUDY_CLICKHOUSE_URL", "EVENTSTUDY_CLICKHOUSE_USER", "EVENTSTUDY_CLICKHOUSE_PASSWORD"] as const;

/** Runs each test of the calling file without the ClickHouse environment variables, restoring them after. */
export function withoutClickHouseEnvironment(): void {
  const saved: Partial<Record<(typeof CLICKHOUSE_ENVIRONMENT)[number], string>> = {};
  beforeEach(() => {
    for (const name of CLICKHOUSE_ENVIRONMENT) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of CLICKHOUSE_ENVIRONMENT) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
}

/**
 * The error `promise` rejects with, checked to be what every ClickHouse failure must be: a
 * ClickHouseError, a DataError (exit code 3), one line. `what` names the call in the failure
 * message when it does not reject.
 */
export async function clickHouseFailure(promise: Promise<unknown>, what: string): Promise<ClickHouseError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ClickHouseError);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).exitCode).toBe(ExitCode.badData);
    expect((error as Error).message).not.toContain("\n");
    return error as ClickHouseError;
  }
  throw new Error(`expected ${what} to fail`);
}
