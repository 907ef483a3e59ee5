// Drives mcpd with the official TypeScript SDK client so the Go e2e tests
// can check what a real SDK user sees. The job is JSON on stdin (so a token
// never lands on a command line, where `ps` would show it); results are one
// JSON document on stdout.
//
// Job:
//   { "transport": "stdio" | "http",
//     "url": "http://127.0.0.1:PORT/mcp", "token": "...",        // http
//     "command": "/path/mcpd", "args": [...], "env": {...},      // stdio
//     "calls": [ { "method": "tools/list" },
//                { "method": "tools/call", "name": "read", "arguments": {...} } ] }
// Output:
//   { "protocolVersion": "...", "sessionId": "...",
//     "results": [ { "result": {...} } | { "error": "..." } ],
//     "error": "..." }   // set when connecting failed; results is then empty
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

function transportFor(job) {
  if (job.transport === "stdio") {
    return new StdioClientTransport({
      command: job.command,
      args: job.args ?? [],
      env: { ...process.env, ...(job.env ?? {}) },
      stderr: "inherit",
    });
  }
  if (job.transport === "http") {
    const headers = { ...(job.headers ?? {}) };
    if (job.token) headers.Authorization = `Bearer ${job.token}`;
    return new StreamableHTTPClientTransport(new URL(job.url), { requestInit: { headers } });
  }
  throw new Error(`unknown transport ${JSON.stringify(job.transport)}; want "stdio" or "http"`);
}

async function run(client, call) {
  switch (call.method) {
    case "tools/list":
      return client.listTools();
    case "tools/call":
      return client.callTool({ name: call.name, arguments: call.arguments ?? {} });
    default:
      throw new Error(`unknown method ${JSON.stringify(call.method)}`);
  }
}

function describe(err) {
  const msg = err instanceof Error ? err.message : String(err);
  return err && err.code !== undefined ? `${msg} (code ${err.code})` : msg;
}

async function main() {
  const job = JSON.parse(await readStdin());
  const out = { results: [] };
  const client = new Client({ name: "codexpro-e2e-ts", version: "0.0.1" });
  const transport = transportFor(job);
  try {
    await client.connect(transport);
  } catch (err) {
    out.error = describe(err);
    process.stdout.write(JSON.stringify(out) + "\n");
    await transport.close().catch(() => {});
    return;
  }
  out.protocolVersion = transport.protocolVersion ?? client.getServerVersion?.()?.protocolVersion ?? "";
  out.sessionId = transport.sessionId ?? "";
  for (const call of job.calls ?? []) {
    try {
      out.results.push({ result: await run(client, call) });
    } catch (err) {
      out.results.push({ error: describe(err) });
    }
  }
  await client.close();
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ results: [], error: describe(err) }) + "\n");
  process.exitCode = 1;
});
