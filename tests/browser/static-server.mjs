// A static file server on a free local port for the browser pages (the browser check and the
// dashboard pictures): "/" is the page's HTML, other paths are looked up under the first mount
// whose URL prefix they start with (never outside its directory).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Serves indexFile at "/" and mounts ([URL prefix, directory] pairs); resolves to { server, base }. */
export async function startStaticServer(indexFile, mounts) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': types['.html'] });
      res.end(readFileSync(indexFile));
      return;
    }
    for (const [prefix, dir] of mounts) {
      if (!url.pathname.startsWith(prefix)) {
        continue;
      }
      const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
      if (!file.startsWith(dir + sep) || !existsSync(file)) {
        break;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}
