'use strict';
// podpub's S3 test server: @20minutes/s3rver (which checks SigV4 signatures)
// behind a small gate, on 127.0.0.1 only.
//
//   node s3rver.js --dir DATA --port PORT --log REQUESTS_LOG \
//                  --key ACCESS_KEY --secret SECRET_KEY [--bucket NAME]...
//
// - The only credentials are ACCESS_KEY/SECRET_KEY (s3rver's built-in
//   S3RVER/S3RVER pair is revoked). Wrong secret: 403 SignatureDoesNotMatch;
//   unknown key: 403 InvalidAccessKeyId.
// - Path-style only (http://127.0.0.1:PORT/BUCKET/KEY).
// - s3rver serves unsigned requests as anonymous; this gate refuses them
//   (403 AccessDenied) except GET/HEAD of an object, as a public-read
//   bucket would allow.
// - Each request is appended to REQUESTS_LOG as "METHOD URL STATUS" (URL as
//   sent, with its query string) before its response headers are sent, so
//   the line is there by the time the client sees the response.
// - Conditional writes as AWS S3, R2 and MinIO do them: a PUT with
//   "If-None-Match: *" is refused with 412 PreconditionFailed when the
//   object exists or another such PUT of it is in flight (decided in this
//   single-threaded gate, so of two racing creates exactly one wins).
//   Upstream s3rver ignores the header.
// - Prints "listening on 127.0.0.1:PORT" once the buckets exist and the
//   port is bound. SIGTERM/SIGINT stop it.

const fs = require('fs');
const http = require('http');
const path = require('path');
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');

function parseArgs(argv) {
  const opts = { buckets: [] };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    i++;
    switch (name) {
      case '--dir': opts.dir = path.resolve(value); break;
      case '--port': opts.port = Number(value); break;
      case '--log': opts.log = path.resolve(value); break;
      case '--key': opts.key = value; break;
      case '--secret': opts.secret = value; break;
      case '--bucket': opts.buckets.push(value); break;
      default: throw new Error(`unknown option ${name}`);
    }
  }
  for (const k of ['dir', 'port', 'log', 'key', 'secret']) {
    if (!opts[k]) throw new Error(`--${k} is required`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    throw new Error('--port must be a port number');
  }
  if (opts.buckets.length === 0) opts.buckets.push('podcast');
  return opts;
}

// Query parameters that make a GET/HEAD on an object something other than
// reading it (ACLs, tags, multipart listings...): refused when anonymous.
const SUBRESOURCES = new Set([
  'acl', 'attributes', 'legal-hold', 'retention', 'tagging', 'torrent',
  'uploadId', 'uploads', 'versions', 'versioning', 'policy', 'cors',
  'website', 'lifecycle', 'location', 'logging', 'notification',
  'replication', 'requestPayment', 'restore', 'select', 'delete',
]);

function isSigned(req, url) {
  return (
    'authorization' in req.headers ||
    url.searchParams.has('X-Amz-Algorithm') ||
    url.searchParams.has('Signature')
  );
}

function anonymousAllowed(req, url) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // /BUCKET/KEY with a non-empty key
  if (!/^\/[^/]+\/.+/.test(url.pathname)) return false;
  for (const name of url.searchParams.keys()) {
    if (SUBRESOURCES.has(name)) return false;
  }
  return true;
}

function preconditionFailed(res) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed' +
    '</Code><Message>At least one of the pre-conditions you specified did ' +
    'not hold</Message><Condition>If-None-Match</Condition></Error>';
  res.writeHead(412, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

function accessDenied(res, url) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>' +
    '<Message>Anonymous access is limited to reading objects: sign the ' +
    'request (AWS SigV4)</Message><Resource>' +
    url.pathname.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`) +
    '</Resource></Error>';
  res.writeHead(403, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.dir, { recursive: true });

  // Only our key pair: drop the built-in S3RVER/S3RVER one.
  AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(opts.key, opts.secret);

  const app = new S3rver({
    directory: opts.dir,
    silent: true,
    vhostBuckets: false,
    allowMismatchedSignatures: false,
    resetOnClose: false,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  await app.configureBuckets();
  const handler = app.callback();

  const logFd = fs.openSync(opts.log, 'a');
  const creating = new Set();   // BUCKET/KEY of If-None-Match PUTs in flight
  const server = http.createServer((req, res) => {
    const origWriteHead = res.writeHead;
    res.writeHead = function (status, ...rest) {
      try {
        fs.writeSync(logFd, `${req.method} ${req.url} ${status}\n`);
      } catch (err) {
        console.error(`cannot write ${opts.log}: ${err.message}`);
      }
      res.writeHead = origWriteHead;
      return origWriteHead.call(this, status, ...rest);
    };

    let url;
    try {
      url = new URL(req.url, 'http://127.0.0.1');
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (!isSigned(req, url) && !anonymousAllowed(req, url)) {
      // Drain an unsigned upload's body before answering.
      req.resume();
      accessDenied(res, url);
      return;
    }
    const m = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'PUT' && m && req.headers['if-none-match'] === '*' &&
        ![...url.searchParams.keys()].length) {
      let key;
      try {
        key = decodeURIComponent(m[2]);
      } catch {
        key = m[2];
      }
      const id = `${m[1]}/${key}`;
      const file = path.join(opts.dir, m[1], `${key}._S3rver_object`);
      if (creating.has(id) || fs.existsSync(file)) {
        req.resume();
        preconditionFailed(res);
        return;
      }
      creating.add(id);
      const done = () => creating.delete(id);
      res.on('finish', done);
      res.on('close', done);
    }
    handler(req, res);
  });
  server.on('clientError', (err, socket) => {
    socket.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  console.log(`listening on 127.0.0.1:${opts.port}`);

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(`s3rver.js: ${err.message}`);
  process.exit(1);
});
