/**
 * The left-to-right layered layout of the lineage graph.
 *
 * `layoutGraph` is deliberately one self-contained function (it references nothing outside
 * its own body) so that its source text can run inside a Web Worker built from a Blob URL
 * (see worker.ts). Keep it that way: no imports, no module-level helpers, no closures over
 * module variables.
 */

/** What the layout needs: sizes, edges (by index) and the positions already on screen. */
export interface ILayoutInput {
  widths: number[];
  heights: number[];
  /** Flat pairs of node indices: [from0, to0, from1, to1, ...]. */
  edges: number[];
  /** Top-left x of a node already placed, or null for a node to place. */
  fixedX: (number | null)[];
  fixedY: (number | null)[];
  fixedRank: (number | null)[];
  /** Horizontal space between ranks. */
  rankGap: number;
  /** Vertical space between nodes of one rank. */
  nodeGap: number;
}

/** Top-left corner and rank of every node, by index. */
export interface ILayoutResult {
  x: number[];
  y: number[];
  rank: number[];
}

/**
 * Lay out the graph left to right.
 *
 * Without fixed nodes: ranks by longest path (sources pulled next to their first child),
 * order within ranks by barycenter sweeps, y by least-squares placement near neighbours.
 * With fixed nodes, those keep their position (only pushed down when their own rank now
 * overlaps, e.g. a node grew to show its columns) and new nodes go one rank left of their
 * placed child or right of their placed parent, in the free slot nearest their neighbours.
 */
/* istanbul ignore next: instrumentation would break the function's self-containedness */
export function layoutGraph(input: ILayoutInput): ILayoutResult {
  const n = input.widths.length;
  const W = input.widths;
  const H = input.heights;
  const gap = input.nodeGap;
  const rankGap = input.rankGap;
  const x = new Array<number>(n).fill(0);
  const y = new Array<number>(n).fill(0);
  const rank = new Array<number>(n).fill(0);
  if (n === 0) {
    return { x, y, rank };
  }

  // Adjacency in compressed arrays: fast and allocation-light at 10,000 edges.
  const m = input.edges.length / 2;
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const a = input.edges[2 * e];
    const b = input.edges[2 * e + 1];
    if (a === b) {
      continue;
    }
    outStart[a + 1]++;
    inStart[b + 1]++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outAdj = new Int32Array(outStart[n]);
  const inAdj = new Int32Array(inStart[n]);
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    const a = input.edges[2 * e];
    const b = input.edges[2 * e + 1];
    if (a === b) {
      continue;
    }
    outAdj[outFill[a]++] = b;
    inAdj[inFill[b]++] = a;
  }
  let maxW = 0;
  for (let i = 0; i < n; i++) {
    maxW = Math.max(maxW, W[i]);
  }

  // Place a subset of nodes from scratch; returns nothing, fills x/y/rank for `members`.
  function fullLayout(members: number[]): void {
    const k = members.length;
    const inSet = new Uint8Array(n);
    for (const v of members) {
      inSet[v] = 1;
    }
    // Topological order (Kahn); a cycle (possible between collapsed groups) is broken at
    // the node with the fewest unprocessed parents.
    const indeg = new Int32Array(n);
    for (const v of members) {
      for (let p = inStart[v]; p < inStart[v + 1]; p++) {
        if (inSet[inAdj[p]]) {
          indeg[v]++;
        }
      }
    }
    const topo = new Int32Array(n).fill(-1);
    const order: number[] = [];
    const queue: number[] = [];
    for (const v of members) {
      if (indeg[v] === 0) {
        queue.push(v);
      }
    }
    let head = 0;
    while (order.length < k) {
      if (head === queue.length) {
        let best = -1;
        for (const v of members) {
          if (
            topo[v] < 0 &&
            indeg[v] > 0 &&
            (best < 0 || indeg[v] < indeg[best])
          ) {
            best = v;
          }
        }
        indeg[best] = 0;
        queue.push(best);
      }
      const v = queue[head++];
      if (topo[v] >= 0) {
        continue;
      }
      topo[v] = order.length;
      order.push(v);
      for (let p = outStart[v]; p < outStart[v + 1]; p++) {
        const c = outAdj[p];
        if (inSet[c] && topo[c] < 0 && --indeg[c] === 0) {
          queue.push(c);
        }
      }
    }
    const forward = (a: number, b: number): boolean =>
      inSet[a] === 1 && inSet[b] === 1 && topo[a] < topo[b];

    // Longest path from the sources, then pull each node right up to its nearest child so
    // that sources sit next to what reads them.
    for (const v of order) {
      let r = 0;
      for (let p = inStart[v]; p < inStart[v + 1]; p++) {
        const u = inAdj[p];
        if (forward(u, v)) {
          r = Math.max(r, rank[u] + 1);
        }
      }
      rank[v] = r;
    }
    for (let i = k - 1; i >= 0; i--) {
      const v = order[i];
      let minChild = Infinity;
      for (let p = outStart[v]; p < outStart[v + 1]; p++) {
        const c = outAdj[p];
        if (forward(v, c)) {
          minChild = Math.min(minChild, rank[c]);
        }
      }
      if (minChild !== Infinity && minChild - 1 > rank[v]) {
        rank[v] = minChild - 1;
      }
    }
    let maxRank = 0;
    for (const v of members) {
      maxRank = Math.max(maxRank, rank[v]);
    }
    const layers: number[][] = [];
    for (let r = 0; r <= maxRank; r++) {
      layers.push([]);
    }
    for (const v of order) {
      layers[rank[v]].push(v);
    }
    const pos = new Float64Array(n);
    const setPositions = (layer: number[]): void => {
      for (let i = 0; i < layer.length; i++) {
        pos[layer[i]] = i;
      }
    };
    layers.forEach(setPositions);

    // Barycenter sweeps: order each rank by the mean position of its neighbours.
    const bary = new Float64Array(n);
    for (let sweep = 0; sweep < 6; sweep++) {
      const down = sweep % 2 === 0;
      for (let li = 0; li <= maxRank; li++) {
        const layer = layers[down ? li : maxRank - li];
        for (const v of layer) {
          let sum = 0;
          let count = 0;
          const start = down ? inStart[v] : outStart[v];
          const end = down ? inStart[v + 1] : outStart[v + 1];
          const adj = down ? inAdj : outAdj;
          for (let p = start; p < end; p++) {
            const u = adj[p];
            if (inSet[u]) {
              sum += pos[u];
              count++;
            }
          }
          bary[v] = count > 0 ? sum / count : pos[v];
        }
        layer.sort((a, b) => bary[a] - bary[b] || pos[a] - pos[b]);
        setPositions(layer);
      }
    }

    // y: start stacked and centred, then move each rank towards its neighbours' centres
    // keeping order and spacing (isotonic regression by pooling adjacent violators).
    for (const layer of layers) {
      let total = -gap;
      for (const v of layer) {
        total += H[v] + gap;
      }
      let top = -total / 2;
      for (const v of layer) {
        y[v] = top;
        top += H[v] + gap;
      }
    }
    const placeLayer = (layer: number[], desired: Float64Array): void => {
      // z_i = y_i - offset_i must be non-decreasing; fit z to desired - offset.
      const len = layer.length;
      const blockValue: number[] = [];
      const blockWeight: number[] = [];
      const blockSize: number[] = [];
      let offset = 0;
      const offsets = new Float64Array(len);
      for (let i = 0; i < len; i++) {
        offsets[i] = offset;
        offset += H[layer[i]] + gap;
        blockValue.push(desired[i] - offsets[i]);
        blockWeight.push(1);
        blockSize.push(1);
        while (
          blockValue.length > 1 &&
          blockValue[blockValue.length - 2] > blockValue[blockValue.length - 1]
        ) {
          const v2 = blockValue.pop() as number;
          const w2 = blockWeight.pop() as number;
          const s2 = blockSize.pop() as number;
          const last = blockValue.length - 1;
          const w = blockWeight[last] + w2;
          blockValue[last] =
            (blockValue[last] * blockWeight[last] + v2 * w2) / w;
          blockWeight[last] = w;
          blockSize[last] += s2;
        }
      }
      let i = 0;
      for (let b = 0; b < blockValue.length; b++) {
        for (let s = 0; s < blockSize[b]; s++, i++) {
          y[layer[i]] = blockValue[b] + offsets[i];
        }
      }
    };
    for (let pass = 0; pass < 4; pass++) {
      const down = pass % 2 === 0;
      for (let li = 0; li <= maxRank; li++) {
        const layer = layers[down ? li : maxRank - li];
        const desired = new Float64Array(layer.length);
        layer.forEach((v, i) => {
          let sum = 0;
          let count = 0;
          for (const [start, end, adj] of [
            [inStart[v], inStart[v + 1], inAdj],
            [outStart[v], outStart[v + 1], outAdj]
          ] as [number, number, Int32Array][]) {
            for (let p = start; p < end; p++) {
              const u = adj[p];
              if (inSet[u]) {
                sum += y[u] + H[u] / 2;
                count++;
              }
            }
          }
          desired[i] = count > 0 ? sum / count - H[v] / 2 : y[v];
        });
        placeLayer(layer, desired);
      }
    }
    for (const v of members) {
      x[v] = rank[v] * (maxW + rankGap);
    }
  }

  const placed = new Uint8Array(n);
  const fresh: number[] = [];
  for (let i = 0; i < n; i++) {
    const fx = input.fixedX[i];
    const fy = input.fixedY[i];
    const fr = input.fixedRank[i];
    if (fx !== null && fy !== null && fr !== null) {
      x[i] = fx;
      y[i] = fy;
      rank[i] = fr;
      placed[i] = 1;
    } else {
      fresh.push(i);
    }
  }
  if (fresh.length === n) {
    fullLayout(fresh);
    return { x, y, rank };
  }

  // Columns of the placed nodes: rank -> occupied vertical intervals, sorted by top.
  const columns = new Map<number, number[]>();
  const rankX = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (placed[i]) {
      let list = columns.get(rank[i]);
      if (!list) {
        list = [];
        columns.set(rank[i], list);
        rankX.set(rank[i], x[i]);
      }
      list.push(i);
    }
  }
  // A placed node that grew (its columns shown) pushes the nodes below it down, only as far
  // as needed; nothing moves when no size changed.
  for (const list of columns.values()) {
    list.sort((a, b) => y[a] - y[b]);
    for (let j = 1; j < list.length; j++) {
      const above = list[j - 1];
      const floor = y[above] + H[above] + gap;
      if (y[list[j]] < floor) {
        y[list[j]] = floor;
      }
    }
  }
  const xOfRank = (r: number): number => {
    const known = rankX.get(r);
    if (known !== undefined) {
      return known;
    }
    let nearest = 0;
    let nearestX = 0;
    let distance = Infinity;
    for (const [kr, kx] of rankX) {
      if (Math.abs(kr - r) < distance) {
        distance = Math.abs(kr - r);
        nearest = kr;
        nearestX = kx;
      }
    }
    return nearestX + (r - nearest) * (maxW + rankGap);
  };
  const freeTop = (r: number, desiredTop: number, h: number): number => {
    const list = columns.get(r) ?? [];
    const fits = (top: number): boolean => {
      for (const o of list) {
        if (top < y[o] + H[o] + gap && top + h + gap > y[o]) {
          return false;
        }
      }
      return true;
    };
    if (fits(desiredTop)) {
      return desiredTop;
    }
    const candidates: number[] = [];
    for (const o of list) {
      candidates.push(y[o] + H[o] + gap, y[o] - gap - h);
    }
    candidates.sort(
      (a, b) => Math.abs(a - desiredTop) - Math.abs(b - desiredTop)
    );
    for (const c of candidates) {
      if (fits(c)) {
        return c;
      }
    }
    return desiredTop;
  };
  const occupy = (v: number): void => {
    let list = columns.get(rank[v]);
    if (!list) {
      list = [];
      columns.set(rank[v], list);
      rankX.set(rank[v], x[v]);
    }
    list.push(v);
  };

  // Waves outward from the placed nodes: each new node takes its rank and y from the
  // neighbours placed before it.
  let frontier = fresh;
  for (;;) {
    const wave: { v: number; r: number; centre: number }[] = [];
    const rest: number[] = [];
    for (const v of frontier) {
      let parentRank = -Infinity;
      let childRank = Infinity;
      let sum = 0;
      let count = 0;
      for (let p = inStart[v]; p < inStart[v + 1]; p++) {
        const u = inAdj[p];
        if (placed[u]) {
          parentRank = Math.max(parentRank, rank[u]);
          sum += y[u] + H[u] / 2;
          count++;
        }
      }
      for (let p = outStart[v]; p < outStart[v + 1]; p++) {
        const u = outAdj[p];
        if (placed[u]) {
          childRank = Math.min(childRank, rank[u]);
          sum += y[u] + H[u] / 2;
          count++;
        }
      }
      if (count === 0) {
        rest.push(v);
      } else {
        const r = childRank !== Infinity ? childRank - 1 : parentRank + 1;
        wave.push({ v, r, centre: sum / count });
      }
    }
    if (wave.length === 0) {
      frontier = rest;
      break;
    }
    wave.sort((a, b) => a.centre - b.centre || a.v - b.v);
    for (const item of wave) {
      const v = item.v;
      rank[v] = item.r;
      x[v] = xOfRank(item.r);
      y[v] = freeTop(item.r, item.centre - H[v] / 2, H[v]);
      placed[v] = 1;
      occupy(v);
    }
    frontier = rest;
  }

  // Nodes connected to nothing on screen: their own layout, below everything.
  if (frontier.length > 0) {
    let bottom = -Infinity;
    let left = Infinity;
    let minRank = Infinity;
    for (let i = 0; i < n; i++) {
      if (placed[i]) {
        bottom = Math.max(bottom, y[i] + H[i]);
        left = Math.min(left, x[i]);
        minRank = Math.min(minRank, rank[i]);
      }
    }
    fullLayout(frontier);
    let top = Infinity;
    for (const v of frontier) {
      top = Math.min(top, y[v]);
    }
    for (const v of frontier) {
      y[v] += bottom + 4 * gap - top;
      x[v] += left;
      rank[v] += minRank;
    }
  }
  return { x, y, rank };
}
