// Drives mcpd's OAuth flow with the TypeScript SDK's own OAuth client
// support (OAuthClientProvider, UnauthorizedError, finishAuth, auth) so the
// Go e2e test checks what a real SDK user sees. It speaks JSON lines: it
// prints {"step":"authorize","url":...} and waits for {"code":...} (the Go
// test plays the browser and the person typing the pairing code), then
// connects, refreshes, and after {"step":"revoked"} tries once more. Tokens
// are written only to the file the job names, never to stdout.
import { writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async () => JSON.parse((await lines.next()).value);
const say = (v) => process.stdout.write(JSON.stringify(v) + "\n");

const job = await next();
const redirectUrl = "http://127.0.0.1:9/callback";
const seen = [];
const provider = {
  get redirectUrl() { return redirectUrl; },
  get clientMetadata() {
    return { client_name: "e2e ts-sdk", redirect_uris: [redirectUrl], grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"], token_endpoint_auth_method: "none" };
  },
  clientInformation() { return this.info; },
  saveClientInformation(info) { this.info = info; },
  tokens() { return this.saved; },
  saveTokens(t) { this.saved = t; seen.push(t.access_token, t.refresh_token); writeFileSync(job.tokenFile, JSON.stringify(seen)); },
  redirectToAuthorization(url) { this.authUrl = url; },
  invalidateCredentials(scope) {
    if (scope === "all" || scope === "tokens") this.saved = undefined;
    if (scope === "all") this.info = undefined;
  },
  saveCodeVerifier(v) { this.verifier = v; },
  codeVerifier() { return this.verifier; },
};

async function listTools() {
  const client = new Client({ name: "codexpro-e2e-oauth", version: "0.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(job.url), { authProvider: provider }));
  const { tools } = await client.listTools();
  await client.close();
  return tools.length;
}

try {
  const transport = new StreamableHTTPClientTransport(new URL(job.url), { authProvider: provider });
  const first = new Client({ name: "codexpro-e2e-oauth", version: "0.0.0" });
  let unauthorized = false;
  try { await first.connect(transport); } catch (e) { unauthorized = e instanceof UnauthorizedError; if (!unauthorized) throw e; }
  if (!unauthorized || !provider.authUrl) throw new Error("the first connection was not sent to authorization");
  say({ step: "authorize", url: provider.authUrl.toString() });
  const { code } = await next();
  await transport.finishAuth(code);
  const tools = await listTools();
  const before = provider.saved.access_token;
  const result = await auth(provider, { serverUrl: job.url }); // has a refresh token: rotates it
  const refreshed = result === "AUTHORIZED" && provider.saved.access_token !== before;
  const toolsAfterRefresh = await listTools();
  say({ step: "connected", tools, refreshed, toolsAfterRefresh });
  await next(); // {"step":"revoked"}
  provider.authUrl = undefined;
  let afterRevoke = "connected";
  try { await listTools(); } catch (e) { afterRevoke = e instanceof UnauthorizedError ? "unauthorized" : String(e.message ?? e); }
  say({ step: "done", afterRevoke, reauthorize: Boolean(provider.authUrl) });
} catch (e) {
  say({ step: "error", error: String(e && e.stack ? e.stack : e) });
}
process.exit(0);
