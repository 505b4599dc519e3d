import { BOX, GIFT_ART } from './gift-drawings';

/**
 * Gift pictures drawn as inline SVG: no image files to serve and no dependence on an emoji font (OBS machines
 * have one, headless CI machines often do not). Unknown ids get a gift box.
 */

/** The colour that themes a gift's animation. */
export function giftColor(giftId: string): string {
  return GIFT_ART[giftId]?.[1] ?? '#ffd166';
}

/** An <svg> picture of the gift (a gift box for an unknown id); `size` in CSS pixels. */
export function giftIcon(giftId: string, size: number): SVGSVGElement {
  const [art, color] = GIFT_ART[giftId] ?? [BOX, '#ffd166'];
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('fill', color);
  svg.setAttribute('color', color);
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.art = GIFT_ART[giftId] ? giftId : 'box';
  svg.classList.add('gift-icon');
  svg.innerHTML = art;
  return svg;
}
