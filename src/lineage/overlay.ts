/**
 * The DOM drawn over the canvas: the legend, the loading bar, the dismissable message and
 * the tooltip.
 */
import { EDGE_LEGEND, edgeDash } from './columns';
import { LineageGraph } from './graph';
import {
  ITheme,
  LENS_TITLES,
  lensColour,
  lensLabel,
  lensValue
} from './palette';
import { Hit } from './scene';
import { ILineage, ILineageNode, Lens } from './types';

/** What a message says: `empty` ones go away as soon as the graph has nodes. */
export type MessageKind = 'error' | 'info' | 'empty';

export class Overlay {
  readonly legend = div('dbt-lineage-legend');
  readonly loadingBar = div('dbt-lineage-loading');
  readonly message = div('dbt-lineage-message');
  readonly tooltip = div('dbt-lineage-tooltip');

  /** `host` is the view's host element, which carries `data-loading`. */
  constructor(private readonly _host: HTMLElement) {
    this.loadingBar.setAttribute('role', 'progressbar');
    this.message.hidden = true;
    this.message.setAttribute('role', 'status');
    this.tooltip.hidden = true;
  }

  /** The kind of the message shown, if any. */
  get messageKind(): string | undefined {
    return this.message.dataset.kind;
  }

  /** Show the loading bar (and `data-loading` on the host) or hide them. */
  setBusy(busy: boolean): void {
    this.loadingBar.classList.toggle('dbt-is-active', busy);
    if (busy) {
      this._host.setAttribute('data-loading', 'true');
    } else {
      this._host.removeAttribute('data-loading');
    }
  }

  /** Describe what the pointer is over, next to it; hide the tooltip over nothing. */
  showTooltip(
    hit: Hit | null,
    event: MouseEvent,
    width: number,
    height: number
  ): void {
    const tip = this.tooltip;
    const lines = hit !== null ? tooltipLines(hit) : [];
    if (lines.length === 0) {
      tip.hidden = true;
      return;
    }
    tip.textContent = '';
    const title = document.createElement('strong');
    title.textContent = lines[0];
    tip.append(title, ...lines.slice(1).map(line => `\n${line}`));
    tip.hidden = false;
    const rect = this._host.getBoundingClientRect();
    const x = event.clientX - rect.left + 14;
    const y = event.clientY - rect.top + 14;
    tip.style.left = `${Math.min(x, Math.max(0, width - tip.offsetWidth - 4))}px`;
    tip.style.top = `${Math.min(y, Math.max(0, height - tip.offsetHeight - 4))}px`;
  }

  /** Hide the tooltip. */
  hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  /** List the lens's most common values with their colours (and column edge kinds). */
  renderLegend(
    graph: LineageGraph,
    lens: Lens,
    columnMode: boolean,
    theme: ITheme
  ): void {
    const legend = this.legend;
    legend.textContent = '';
    const counts = new Map<string | null, number>();
    for (const node of graph.nodes.values()) {
      const value = lensValue(node, lens);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const title = document.createElement('span');
    title.className = 'dbt-lineage-legend-title';
    title.textContent = LENS_TITLES[lens];
    legend.append(title);
    const values = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    for (const [value, count] of values) {
      legend.append(
        legendItem(
          swatch(lensColour(lens, value)),
          `${lensLabel(lens, value)} (${count})`
        )
      );
    }
    if (columnMode) {
      legend.append(document.createElement('br'));
      const columnsTitle = document.createElement('span');
      columnsTitle.className = 'dbt-lineage-legend-title';
      columnsTitle.textContent = 'Column edges';
      legend.append(columnsTitle);
      for (const [kind, label] of EDGE_LEGEND) {
        legend.append(legendItem(lineSample(kind, theme), label));
      }
    }
    legend.hidden = graph.size === 0;
  }

  /** Say when a load found nothing or was cut short; otherwise hide the message. */
  showLoadMessage(lineage: ILineage): void {
    if (lineage.nodes.length === 0) {
      this.showMessage('No nodes match this selection.', 'empty');
    } else if (lineage.truncated) {
      this.showMessage(
        `Showing the ${lineage.nodes.length} nodes nearest the focus of ${lineage.total}.`,
        'info'
      );
    } else {
      this.hideMessage();
    }
  }

  /** Show a message with a dismiss button, replacing the one shown. */
  showMessage(text: string, kind: MessageKind): void {
    const message = this.message;
    message.textContent = text;
    message.dataset.kind = kind;
    message.classList.toggle('dbt-is-error', kind === 'error');
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.title = 'Dismiss';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', () => this.hideMessage());
    message.append(close);
    message.hidden = false;
  }

  /** Hide the message. */
  hideMessage(): void {
    this.message.hidden = true;
    this.message.textContent = '';
    delete this.message.dataset.kind;
  }

  /** Take the overlay's elements out of the host. */
  remove(): void {
    for (const element of [
      this.legend,
      this.loadingBar,
      this.message,
      this.tooltip
    ]) {
      element.remove();
    }
  }
}

function tooltipLines(hit: Hit): string[] {
  if (hit.type === 'edge') {
    const e = hit.edge;
    return [
      `${e.source_column} → ${e.target_column || '(rows of the model)'}`,
      `kind: ${e.kind}`,
      ...(e.expression ? [e.expression] : [])
    ];
  }
  if (hit.type === 'handle') {
    return [hit.direction === 'upstream' ? 'Show parents' : 'Show children'];
  }
  if (hit.type === 'toggle') {
    return [hit.box.columns ? 'Hide columns' : 'Show columns'];
  }
  if (hit.type === 'box' && hit.box.kind === 'group') {
    return [`${hit.box.label}`, `${hit.box.count} nodes: click to expand`];
  }
  if (hit.type === 'box' || hit.type === 'column') {
    const node = hit.box.node as ILineageNode;
    return [
      node.name,
      node.unique_id,
      [node.resource_type, node.materialized].filter(Boolean).join(' · '),
      ...(node.status ? [`latest run: ${node.status}`] : []),
      ...(node.test_status ? [`tests: ${node.test_status}`] : []),
      ...(hit.box.coverage
        ? [
            `column lineage ${hit.box.coverage.status.replace('_', ' ')}: ${hit.box.coverage.reason}`
          ]
        : []),
      ...(hit.type === 'column' ? [`column ${hit.column}: click to trace`] : [])
    ];
  }
  return [];
}

function div(className: string): HTMLDivElement {
  const element = document.createElement('div');
  element.className = className;
  return element;
}

function legendItem(sample: Element, label: string): HTMLElement {
  const item = document.createElement('span');
  item.className = 'dbt-lineage-legend-item';
  item.append(sample, label);
  return item;
}

function swatch(colour: string): HTMLElement {
  const element = document.createElement('span');
  element.className = 'dbt-lineage-swatch';
  element.style.background = colour;
  return element;
}

function lineSample(kind: string, theme: ITheme): Element {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '8');
  svg.setAttribute('data-kind', kind);
  const line = document.createElementNS(ns, 'line');
  line.setAttribute('x1', '1');
  line.setAttribute('y1', '4');
  line.setAttribute('x2', '27');
  line.setAttribute('y2', '4');
  line.setAttribute('stroke', theme.accent);
  line.setAttribute('stroke-width', kind === 'transformation' ? '2.2' : '1.6');
  const dash = edgeDash(kind);
  if (dash.length > 0) {
    line.setAttribute('stroke-dasharray', dash.join(' '));
  }
  svg.append(line);
  return svg;
}
