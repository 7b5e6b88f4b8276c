// A stacked bar chart as SVG (createElementNS, no library): per category, one bar per group, stacked by series.
import { svg } from './dom.js';

/**
 * categories: x labels (days); groups: [{ name, cls }] bars side by side per category (cost, saved);
 * series: [{ name, cls }] the stack layers (providers); value(category, group, series) → number.
 */
export function stackedBars({ id, title, categories, groups, series, value, format }) {
  const width = 960, height = 300, left = 72, right = 12, top = 12, bottom = 36;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  let max = 0;
  for (const category of categories) {
    for (const group of groups) {
      let sum = 0;
      for (const layer of series) sum += value(category, group, layer);
      max = Math.max(max, sum);
    }
  }
  if (max <= 0) max = 1;

  const root = svg('svg', { id, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart' });
  root.append(svg('title', { text: title }));
  for (let tick = 0; tick <= 4; tick++) {
    const y = top + plotHeight - (plotHeight * tick) / 4;
    root.append(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
    root.append(svg('text', { x: left - 6, y: y + 4, class: 'axis end', text: format((max * tick) / 4) }));
  }

  const slot = plotWidth / Math.max(categories.length, 1);
  const barWidth = Math.max(2, (slot * 0.8) / groups.length);
  categories.forEach((category, index) => {
    const x0 = left + index * slot + slot * 0.1;
    groups.forEach((group, g) => {
      let y = top + plotHeight;
      for (const layer of series) {
        const amount = value(category, group, layer);
        if (!(amount > 0)) continue;
        const h = (amount / max) * plotHeight;
        y -= h;
        const rect = svg('rect', { x: x0 + g * barWidth, y, width: Math.max(1, barWidth - 1), height: h, class: `bar ${layer.cls} ${group.cls}` });
        rect.append(svg('title', { text: `${category} · ${group.name} · ${layer.name}: ${format(amount)}` }));
        root.append(rect);
      }
    });
    if (index % Math.ceil(categories.length / 10) === 0) {
      root.append(svg('text', { x: x0 + (barWidth * groups.length) / 2, y: height - bottom + 16, class: 'axis middle', text: category.slice(5) }));
    }
  });
  return root;
}
