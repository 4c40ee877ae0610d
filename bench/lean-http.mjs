// A lean HTTP/1.1 keep-alive client for the load generator: one socket per virtual user, requests written
// as one buffer, responses read by Content-Length (or chunked), nothing else. The load generator shares
// the machine's two cores with Sen and PostgreSQL, so its own cost is taken from what it measures: Node's
// http client cost ~0.1 ms of CPU per request here, about a tenth of an intake (the way wrk is used in C).
// Plain JavaScript so that it loads in a worker under tsx.
import net from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');

/** A connection that sends one request at a time and resolves with { status, ms, text }. */
export function leanConnection(host, port, timeoutMs = 60_000) {
  let socket = null;
  let buf = Buffer.alloc(0);
  let pending = null; // { resolve, t0, timer }
  let expected = null; // { status, headerEnd, length | -1 for chunked }

  const finish = (status, text) => {
    const p = pending;
    pending = null;
    expected = null;
    if (!p) return;
    clearTimeout(p.timer);
    p.resolve({ status, ms: performance.now() - p.t0, text });
  };
  const fail = (err) => {
    socket?.destroy();
    socket = null;
    buf = Buffer.alloc(0);
    finish(0, String(err));
  };
  const parse = () => {
    if (!pending) return;
    if (!expected) {
      const end = buf.indexOf(CRLF2);
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1');
      const status = Number(head.slice(9, 12));
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      expected = { status, headerEnd: end + 4, length: cl ? Number(cl[1]) : chunked ? -1 : 0, close: /\r\nconnection:\s*close/i.test(head) };
    }
    const { status, headerEnd, length, close } = expected;
    let body;
    let used;
    if (length >= 0) {
      if (buf.length < headerEnd + length) return;
      body = buf.subarray(headerEnd, headerEnd + length);
      used = headerEnd + length;
    } else {
      // Chunked: wait for the last chunk, then join the chunks.
      const parts = [];
      let at = headerEnd;
      for (;;) {
        const eol = buf.indexOf('\r\n', at);
        if (eol < 0) return;
        const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
        if (buf.length < eol + 2 + size + 2) return;
        if (size === 0) {
          used = eol + 4;
          break;
        }
        parts.push(buf.subarray(eol + 2, eol + 2 + size));
        at = eol + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    }
    const text = body.toString();
    buf = buf.subarray(used);
    if (close) {
      socket?.destroy();
      socket = null;
      buf = Buffer.alloc(0);
    }
    finish(status, text);
  };
  const connect = () => {
    socket = net.connect({ host, port, noDelay: true });
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      parse();
    });
    socket.on('error', fail);
    socket.on('close', () => {
      if (pending) fail(new Error('connection closed'));
      socket = null;
    });
  };

  return {
    /** Sends one request; `headers` is a plain object; the body is a string or undefined. */
    send(method, path, headers, body) {
      return new Promise((resolve) => {
        if (pending) throw new Error('one request at a time per connection');
        if (!socket) connect();
        const t0 = performance.now();
        pending = { resolve, t0, timer: setTimeout(() => fail(new Error(`timeout after ${timeoutMs / 1000} s`)), timeoutMs) };
        let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\n`;
        for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
        const payload = body === undefined ? null : Buffer.from(body);
        if (payload) head += `content-length: ${payload.length}\r\n`;
        head += '\r\n';
        socket.write(payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : Buffer.from(head, 'latin1'));
      });
    },
    close() {
      socket?.destroy();
      socket = null;
    },
  };
}
