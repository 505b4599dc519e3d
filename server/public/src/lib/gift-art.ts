/**
 * Gift pictures drawn as inline SVG: no image files to serve and no dependence on an emoji font (OBS machines
 * have one, headless CI machines often do not). A gift id maps to a shape and a colour; unknown ids get a box.
 */

type Shape =
  'flower' | 'heart' | 'star' | 'gem' | 'donut' | 'planet' | 'car' | 'crown' | 'paw' | 'box' | 'note' | 'wave';

const SHAPES: Record<Shape, string> = {
  heart: '<path d="M12 21s-7.5-4.6-9.6-9.2A5.4 5.4 0 0 1 12 6.2a5.4 5.4 0 0 1 9.6 5.6C19.5 16.4 12 21 12 21z"/>',
  star: '<path d="M12 2.2l2.9 6.3 6.9.7-5.2 4.6 1.5 6.8L12 17.1l-6.1 3.5 1.5-6.8-5.2-4.6 6.9-.7z"/>',
  gem: '<path d="M6.5 3.5h11l4 5.5L12 21 2.5 9z"/><path d="M2.5 9h19M9 3.5 7.5 9 12 21l4.5-12L15 3.5" fill="none" stroke="#fff" stroke-opacity=".55" stroke-width=".9"/>',
  donut:
    '<path fill-rule="evenodd" d="M12 2.5a9.5 9.5 0 1 0 0 19 9.5 9.5 0 0 0 0-19zm0 6.3a3.2 3.2 0 1 1 0 6.4 3.2 3.2 0 0 1 0-6.4z"/>',
  planet:
    '<circle cx="12" cy="12" r="6.5"/><ellipse cx="12" cy="12" rx="11" ry="3.6" fill="none" stroke="currentColor" stroke-width="1.5" transform="rotate(-22 12 12)"/>',
  car: '<path d="M2.5 16v-3.2l2.2-4.3c.3-.6.9-1 1.6-1h9.4c.6 0 1.2.3 1.5.8l2.7 3.5 1.3.4c.6.2 1 .7 1 1.3V16h-2.4a2.6 2.6 0 0 0-5.2 0H9.4a2.6 2.6 0 0 0-5.2 0z"/><circle cx="6.8" cy="16.3" r="1.9"/><circle cx="17.2" cy="16.3" r="1.9"/>',
  crown:
    '<path d="M3 18.5h18l1-11-5.5 4.2L12 4.5l-4.5 7.2L2 7.5z"/><rect x="3" y="19.5" width="18" height="2" rx="1"/>',
  flower:
    '<circle cx="12" cy="6.5" r="4"/><circle cx="17.2" cy="10.3" r="4"/><circle cx="15.2" cy="16.4" r="4"/><circle cx="8.8" cy="16.4" r="4"/><circle cx="6.8" cy="10.3" r="4"/><circle cx="12" cy="12" r="3.2" fill="#ffd54a"/>',
  paw: '<ellipse cx="12" cy="16" rx="5.2" ry="4.4"/><circle cx="5.5" cy="10" r="2.2"/><circle cx="9.3" cy="6.2" r="2.3"/><circle cx="14.7" cy="6.2" r="2.3"/><circle cx="18.5" cy="10" r="2.2"/>',
  note: '<path d="M9 17.5V5.5l11-2.5v12"/><circle cx="6.5" cy="17.5" r="3"/><circle cx="17.5" cy="15" r="3"/><path d="M9 5.5l11-2.5" stroke="currentColor" stroke-width="2.5"/>',
  wave: '<path d="M2 14c2.5-4 5-4 7.5 0s5 4 7.5 0 3.8-3.5 5-2.5V21H2z"/><circle cx="15" cy="6.5" r="3"/>',
  box: '<rect x="3" y="9" width="18" height="12" rx="1.5"/><rect x="2" y="6" width="20" height="4" rx="1"/><path d="M12 6v15" stroke="#fff" stroke-opacity=".6" stroke-width="1.6"/>',
};

const GIFTS: Record<string, [Shape, string]> = {
  rose: ['flower', '#ff3b6b'],
  tiktok: ['note', '#25f4ee'],
  'finger-heart': ['heart', '#ff5c8a'],
  perfume: ['gem', '#c77dff'],
  doughnut: ['donut', '#ff9f43'],
  'hand-hearts': ['heart', '#ff2e63'],
  corgi: ['paw', '#f6b26b'],
  galaxy: ['planet', '#8c7bff'],
  'whale-diving': ['wave', '#3fa9f5'],
  'luxury-car': ['car', '#ffcc33'],
  'drama-queen': ['crown', '#ff6bd6'],
  'sports-car': ['car', '#ff4d4d'],
  interstellar: ['star', '#7df9ff'],
  falcon: ['star', '#ffd166'],
  'rosa-nebula': ['flower', '#ff7de9'],
  lion: ['crown', '#ffb000'],
  universe: ['planet', '#b388ff'],
};

/** The colour that themes a gift's animation. */
export function giftColor(giftId: string): string {
  return GIFTS[giftId]?.[1] ?? '#ffd166';
}

/** An <svg> picture of the gift (a gift box for an unknown id); `size` in CSS pixels. */
export function giftIcon(giftId: string, size: number): SVGSVGElement {
  const [shape, color] = GIFTS[giftId] ?? ['box', '#ffd166'];
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('fill', color);
  svg.setAttribute('color', color);
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('gift-icon');
  svg.innerHTML = SHAPES[shape];
  return svg;
}
