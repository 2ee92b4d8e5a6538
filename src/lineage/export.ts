/**
 * Export of the whole graph shown (not only the visible part): SVG with concrete colours,
 * and PNG drawn on an offscreen canvas.
 */
import { coverageColour, ITheme } from './palette';
import { paintScene } from './painter';
import { curve, HANDLE_R, HEADER_H, ROW_H, Scene } from './scene';

const MARGIN = 24;
/** Largest PNG side: browsers refuse (or crawl on) much larger canvases. */
export const MAX_PNG_SIDE = 8000;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attribute(value: string): string {
  return escapeXml(value);
}

/** The scene as a standalone SVG document. */
export function sceneToSVG(
  scene: Scene,
  theme: ITheme,
  selected: string | null = null
): string {
  const b = scene.bounds;
  const x0 = b.x0 - MARGIN;
  const y0 = b.y0 - MARGIN;
  const width = Math.max(1, b.x1 - b.x0 + 2 * MARGIN);
  const height = Math.max(1, b.y1 - b.y0 + 2 * MARGIN);
  const out: string[] = [];
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" ` +
      `height="${Math.ceil(height)}" viewBox="${x0} ${y0} ${width} ${height}" ` +
      `font-family="${attribute(theme.font)}">`,
    `<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="${attribute(theme.background)}"/>`,
    `<g fill="none" stroke="${attribute(theme.edge)}" stroke-width="1.2">`
  );
  for (const edge of scene.edges) {
    const ax = edge.from.x + edge.from.w;
    const ay = edge.from.y + Math.min(edge.from.h, HEADER_H) / 2;
    const bx = edge.to.x;
    const by = edge.to.y + Math.min(edge.to.h, HEADER_H) / 2;
    const [c1x, c1y, c2x, c2y] = curve(ax, ay, bx, by);
    out.push(
      `<path d="M${ax} ${ay}C${c1x} ${c1y} ${c2x} ${c2y} ${bx} ${by}"` +
        ` data-from="${attribute(edge.from.id)}" data-to="${attribute(edge.to.id)}"` +
        (edge.count > 1 ? ` data-count="${edge.count}"` : '') +
        '/>'
    );
  }
  out.push('</g>', `<g fill="none" stroke="${attribute(theme.accent)}">`);
  for (const edge of scene.columnEdges) {
    const [c1x, c1y, c2x, c2y] = curve(edge.x1, edge.y1, edge.x2, edge.y2);
    const dash =
      edge.dash.length > 0
        ? ` stroke-dasharray="${edge.dash.map(d => d * 1.5).join(' ')}"`
        : '';
    out.push(
      `<path d="M${edge.x1} ${edge.y1}C${c1x} ${c1y} ${c2x} ${c2y} ${edge.x2} ${edge.y2}"` +
        ` stroke-width="${edge.kind === 'transformation' ? 2.2 : 1.6}"${dash}` +
        ` data-kind="${attribute(edge.kind)}"><title>${escapeXml(
          `${edge.source_column} → ${edge.target_column || 'rows'} (${edge.kind})` +
            (edge.expression ? `: ${edge.expression}` : '')
        )}</title></path>`
    );
  }
  out.push('</g>');
  for (const box of scene.boxes) {
    const stroke =
      box.id === selected
        ? theme.accent
        : box.kind === 'group'
          ? theme.mutedText
          : theme.border;
    const parts: string[] = [
      `<g data-id="${attribute(box.id)}">`,
      `<title>${escapeXml(box.node ? box.node.unique_id : `${box.label}: ${box.count} nodes`)}</title>`,
      `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="6" fill="${attribute(theme.surface)}"` +
        ` stroke="${attribute(stroke)}" stroke-width="${box.id === selected ? 2.5 : 1}"` +
        (box.kind === 'group' ? ' stroke-dasharray="4 3"' : '') +
        '/>'
    ];
    if (box.kind === 'node') {
      parts.push(
        `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${HEADER_H}" rx="6" fill="${attribute(box.colour)}" fill-opacity="0.14"/>`,
        `<rect x="${box.x}" y="${box.y}" width="6" height="${box.h}" fill="${attribute(box.colour)}"/>`
      );
    }
    parts.push(
      `<text x="${box.x + 14}" y="${box.y + 19}" font-size="13" font-weight="600" fill="${attribute(theme.text)}">${escapeXml(box.label)}</text>`,
      `<text x="${box.x + 14}" y="${box.y + 35}" font-size="11" fill="${attribute(theme.mutedText)}">${escapeXml(box.sub)}</text>`
    );
    if (box.coverage) {
      parts.push(
        `<circle cx="${box.x + box.w - 16}" cy="${box.y + 14}" r="7" fill="${attribute(
          coverageColour(theme, box.coverage.status)
        )}"><title>${escapeXml(`${box.coverage.status}: ${box.coverage.reason}`)}</title></circle>`
      );
    }
    (box.columns ?? []).forEach((column, i) => {
      parts.push(
        `<text x="${box.x + 14}" y="${box.y + HEADER_H + i * ROW_H + ROW_H / 2 + 4}" font-size="12" fill="${attribute(theme.text)}">${escapeXml(column)}</text>`
      );
    });
    for (const [on, hx] of [
      [box.hiddenUp, box.x],
      [box.hiddenDown, box.x + box.w]
    ] as [boolean, number][]) {
      if (on) {
        parts.push(
          `<circle cx="${hx}" cy="${box.y + Math.min(box.h, HEADER_H) / 2}" r="${HANDLE_R}" fill="${attribute(theme.surface)}" stroke="${attribute(theme.accent)}"/>`
        );
      }
    }
    parts.push('</g>');
    out.push(parts.join(''));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The scene as a PNG, at most MAX_PNG_SIDE pixels a side. */
export function sceneToPNG(scene: Scene, theme: ITheme): Promise<Blob> {
  const b = scene.bounds;
  const width = b.x1 - b.x0 + 2 * MARGIN;
  const height = b.y1 - b.y0 + 2 * MARGIN;
  const scale = Math.min(2, MAX_PNG_SIDE / Math.max(width, height, 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvasContext(canvas);
  if (ctx === null) {
    return Promise.reject(new Error('This browser cannot draw on a canvas.'));
  }
  paintScene(ctx, scene, {
    scale,
    tx: (MARGIN - b.x0) * scale,
    ty: (MARGIN - b.y0) * scale,
    width: canvas.width,
    height: canvas.height,
    ratio: 1,
    theme,
    selected: null,
    related: null,
    selectedEdge: null,
    selectedColumn: null,
    isTraced: () => false
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      blob =>
        blob
          ? resolve(blob)
          : reject(new Error('The PNG could not be encoded.')),
      'image/png'
    )
  );
}

/**
 * The canvas's 2D context, or null where there is none. jsdom implements no canvas and
 * logs an error for each attempt, so it is not asked.
 */
export function canvasContext(
  canvas: HTMLCanvasElement
): CanvasRenderingContext2D | null {
  if (typeof navigator !== 'undefined' && /jsdom/i.test(navigator.userAgent)) {
    return null;
  }
  return canvas.getContext('2d');
}
