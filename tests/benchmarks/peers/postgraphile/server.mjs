// One Node process serving PostGraphile on 127.0.0.1:$PEER_PORT (POST /graphql), plus
// GET /healthz for the benchmark's readiness check. Run with Node >= 22 (the `node` package).
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
await pgl.getSchema(); // build the schema before answering /healthz
if (process.env.PEER_PRINT_SCHEMA) {
  const { printSchema } = await import("graphql");
  console.log(printSchema(await pgl.getSchema()));
}
const handler = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    return;
  }
  handler(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PEER_PORT), "127.0.0.1");
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
}
