import type { IncomingMessage, ServerResponse } from "node:http";
import { registry } from "./metrics.js";

/**
 * The operations endpoints, as a Probot `addHandler` route: `GET /healthz` answers
 * `{"status":"ok"}` without touching GitHub or Redis (liveness: the process serves HTTP), and
 * `GET /metrics` the Prometheus text exposition. Returns false for any other request, so
 * Probot's next handler (its 404) answers it.
 */
export async function opsRoutes(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== "/healthz" && path !== "/metrics") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
    return true;
  }
  if (path === "/healthz") {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : '{"status":"ok"}');
    return true;
  }
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
  return true;
}
