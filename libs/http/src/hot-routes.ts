import type express from 'express';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

/**
 * Express tries its layers in order, testing each one's path pattern, and Nest adds the API's
 * routes as one flat list in module order: `GET /api/alerts`, asked on every pan of the map,
 * comes after some fifty others. This moves the layer of one GET route (a literal path) ahead
 * of the route layers before it, and only those: every middleware that ran before it still
 * does, in the same order. It is refused, and the order left as it was, when one of the routes
 * it would pass could answer a GET or HEAD of the same path. Returns whether it moved.
 */
export function promoteGetRoute(server: express.Express, path: string): boolean {
  const stack = (server.router as unknown as { stack: RouterLayer[] }).stack;
  const from = stack.findIndex((layer) => layer.route?.path === path && layer.route.methods.get);
  if (from < 0) return false;

  let to = from;
  while (to > 0 && stack[to - 1].route) to -= 1;
  const passed = stack.slice(to, from);
  if (passed.some((layer) => answersGet(layer, path))) return false;

  const [layer] = stack.splice(from, 1);
  stack.splice(to, 0, layer);

  return true;
}

function answersGet(layer: RouterLayer, path: string): boolean {
  const methods = layer.route?.methods ?? {};

  return Boolean(methods.get || methods.head || methods._all) && Boolean(layer.match(path));
}
