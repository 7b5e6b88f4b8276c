// Loaded with `node --import` before Portkey's gateway starts; it changes none of Portkey's files.
//
// Portkey 1.15.2 appends its own headers to the Response that fetch() returned for the upstream call. Under
// Node 20 (undici) those headers are immutable, so every streamed request fails with `TypeError: immutable`
// (Portkey-AI/gateway issues #1389 and #1550). Re-wrapping each response in a new Response with a copy of its
// headers keeps the body stream as it is (no buffering) and makes the headers mutable.
const upstreamFetch = globalThis.fetch;

// A Response with one of these statuses must be built with a null body.
const nullBodyStatuses = new Set([101, 204, 205, 304]);

globalThis.fetch = async function fetchWithMutableHeaders(input, init) {
  const response = await upstreamFetch(input, init);
  return new Response(nullBodyStatuses.has(response.status) ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
