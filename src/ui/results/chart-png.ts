/** A chart as a PNG: its canvas on the panel colour with the title above (the canvas alone is transparent). */
export function chartPng(canvas: HTMLCanvasElement, title: string, colors: { bg: string; fg: string }): Promise<Blob> {
  const band = Math.round(24 * (window.devicePixelRatio || 1));
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + band;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = colors.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = colors.fg;
  ctx.font = `600 ${Math.round(band * 0.55)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, Math.round(band * 0.3), band / 2);
  ctx.drawImage(canvas, 0, band);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the chart as PNG'))), 'image/png'));
}
