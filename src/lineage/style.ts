/**
 * The renderer's CSS, injected once per document: the notebook widget's bundle cannot rely
 * on JupyterLab's CSS loader. Only `--jp-*` variables, each with a fallback, so it follows
 * light and dark themes in JupyterLab and Notebook 7 and still looks right without them.
 */

const STYLE_ID = 'dbt-lineage-style';

const CSS = `
.dbt-lineage {
  position: relative;
  overflow: hidden;
  min-height: 240px;
  outline: none;
  background: var(--jp-layout-color0, #fff);
  color: var(--jp-ui-font-color1, #212121);
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  user-select: none;
}
.dbt-lineage:focus-visible {
  box-shadow: inset 0 0 0 2px var(--jp-brand-color1, #1976d2);
}
.dbt-lineage-canvas {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  display: block;
  touch-action: none;
}
.dbt-lineage-minimap {
  position: absolute;
  right: 8px;
  bottom: 8px;
  width: 180px;
  height: 120px;
  border: 1px solid var(--jp-border-color1, #bdbdbd);
  border-radius: 4px;
  background: var(--jp-layout-color1, #fff);
  cursor: crosshair;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15);
}
.dbt-lineage-legend {
  position: absolute;
  left: 8px;
  bottom: 8px;
  max-width: 45%;
  padding: 6px 8px;
  border: 1px solid var(--jp-border-color2, #e0e0e0);
  border-radius: 4px;
  background: var(--jp-layout-color1, #fff);
  opacity: 0.95;
  font-size: var(--jp-ui-font-size0, 11px);
  line-height: 1.6;
}
.dbt-lineage-legend-title {
  font-weight: 600;
  margin-right: 4px;
}
.dbt-lineage-legend-item {
  display: inline-flex;
  align-items: center;
  gap: 4px;
  margin-right: 10px;
  white-space: nowrap;
}
.dbt-lineage-swatch {
  display: inline-block;
  width: 10px;
  height: 10px;
  border-radius: 2px;
}
.dbt-lineage-legend svg {
  vertical-align: middle;
}
.dbt-lineage-loading {
  position: absolute;
  left: 0;
  right: 0;
  top: 0;
  height: 3px;
  overflow: hidden;
  opacity: 0;
  pointer-events: none;
  transition: opacity 0.1s;
}
.dbt-lineage-loading.dbt-is-active {
  opacity: 1;
  transition-delay: 0.15s;
}
.dbt-lineage-loading::after {
  content: '';
  position: absolute;
  top: 0;
  bottom: 0;
  width: 30%;
  background: var(--jp-brand-color1, #1976d2);
  animation: dbt-lineage-slide 1s linear infinite;
}
@keyframes dbt-lineage-slide {
  from { left: -30%; }
  to { left: 100%; }
}
.dbt-lineage-message {
  position: absolute;
  left: 50%;
  top: 12px;
  transform: translateX(-50%);
  max-width: 80%;
  padding: 6px 28px 6px 10px;
  border-radius: 4px;
  border: 1px solid var(--jp-border-color1, #bdbdbd);
  background: var(--jp-layout-color1, #fff);
  color: var(--jp-ui-font-color1, #212121);
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15);
}
.dbt-lineage-message[hidden] {
  display: none;
}
.dbt-lineage-message.dbt-is-error {
  border-color: var(--jp-error-color1, #d32f2f);
  color: var(--jp-error-color1, #d32f2f);
}
.dbt-lineage-message button {
  position: absolute;
  right: 4px;
  top: 3px;
  border: none;
  background: none;
  color: inherit;
  cursor: pointer;
  font-size: 14px;
}
.dbt-lineage-tooltip {
  position: absolute;
  z-index: 2;
  max-width: 360px;
  padding: 6px 8px;
  border-radius: 4px;
  border: 1px solid var(--jp-border-color1, #bdbdbd);
  background: var(--jp-layout-color0, #fff);
  color: var(--jp-ui-font-color1, #212121);
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2);
  pointer-events: none;
  font-size: var(--jp-ui-font-size0, 11px);
  line-height: 1.5;
  white-space: pre-wrap;
  word-break: break-word;
}
.dbt-lineage-tooltip[hidden] {
  display: none;
}
.dbt-lineage-tooltip strong {
  font-size: var(--jp-ui-font-size1, 13px);
}
`;

/** Add the renderer's stylesheet to the document (once). */
export function ensureStyle(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
