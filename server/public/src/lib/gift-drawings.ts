/**
 * Gift drawings as SVG markup on a 24x24 viewBox, filled with the gift's colour unless a part says otherwise: every
 * gift of the catalog has one of its own. Plain data (no DOM), so it can be checked against the catalog anywhere.
 */

export const BOX =
  '<rect x="3" y="9" width="18" height="12" rx="1.5"/><rect x="2" y="6" width="20" height="4" rx="1"/><path d="M12 6v15" stroke="#fff" stroke-opacity=".6" stroke-width="1.6"/>';

const HEART = 'M12 21s-7.5-4.6-9.6-9.2A5.4 5.4 0 0 1 12 6.2a5.4 5.4 0 0 1 9.6 5.6C19.5 16.4 12 21 12 21z';

/** Gift id -> [drawing, colour]. */
export const GIFT_ART: Readonly<Record<string, readonly [string, string]>> = {
  // A bloom of spiralling petals on a stem with a leaf.
  rose: [
    '<path d="M12 14v8" stroke="#2e9e4f" stroke-width="1.8"/><path d="M12 19c-3-.3-4.6-2-5-4 2.6 0 4.3 1.3 5 4z" fill="#2e9e4f"/>' +
      '<path d="M12 3c3.6 0 6 2.4 6 5.6S15.4 14 12 14 6 11.9 6 8.6 8.4 3 12 3z"/>' +
      '<path d="M12 6c1.8 0 3 1.1 3 2.6S13.7 11 12 11s-2.6-1-2.6-2.3c0-1 .8-1.8 2-1.8" fill="none" stroke="#fff" stroke-opacity=".5" stroke-width="1.1"/>',
    '#ff3b6b',
  ],
  // The note logo: a quaver with a cyan and a red shadow.
  tiktok: [
    '<g transform="translate(-.8 .6)" fill="#ff2e63"><path d="M13 3h3c.3 2.2 1.8 3.6 4 3.8v3c-1.5 0-2.9-.4-4-1.2V15a5.5 5.5 0 1 1-5.5-5.5v3.1A2.4 2.4 0 1 0 13 15z"/></g>' +
      '<path d="M13 3h3c.3 2.2 1.8 3.6 4 3.8v3c-1.5 0-2.9-.4-4-1.2V15a5.5 5.5 0 1 1-5.5-5.5v3.1A2.4 2.4 0 1 0 13 15z" transform="translate(.8 -.6)"/>',
    '#25f4ee',
  ],
  // Thumb and index crossed, a small heart rising above them.
  'finger-heart': [
    '<path d="M14.5 2.5c1-1 2.8-.4 2.8 1.2 0 1.4-2.8 3.1-2.8 3.1s-2.8-1.7-2.8-3.1c0-1.6 1.8-2.2 2.8-1.2z"/>' +
      '<path d="M7 22v-5.5l-2-3.2c-.6-1 .6-2.2 1.6-1.4L9 14V8.5c0-1.5 2.2-1.5 2.2 0v4l1.8-3.3c.7-1.3 2.6-.5 2.1.9l-1.2 3.4 2.4-.4c1.4-.2 1.9 1.7.5 2.2L14 16.5V22z" fill="#ffcc99"/>',
    '#ff5c8a',
  ],
  // A faceted bottle with a gold atomiser.
  perfume: [
    '<rect x="10" y="2" width="4" height="3" rx=".6" fill="#ffd166"/><rect x="11" y="5" width="2" height="2" fill="#ffd166"/>' +
      '<path d="M7 8h10l2.5 4L17 21H7l-2.5-9z"/><path d="M7 8l5 4 5-4M4.5 12h15M12 12v9" fill="none" stroke="#fff" stroke-opacity=".45" stroke-width=".9"/>' +
      '<path d="M14 3.5h4M14.5 1.8l3 -1M14.5 5.2l3 1" stroke="#e0d4ff" stroke-width=".8"/>',
    '#c77dff',
  ],
  // A ring with pink icing and sprinkles.
  doughnut: [
    '<path fill-rule="evenodd" d="M12 2.5a9.5 9.5 0 1 0 0 19 9.5 9.5 0 0 0 0-19zm0 6.3a3.2 3.2 0 1 1 0 6.4 3.2 3.2 0 0 1 0-6.4z"/>' +
      '<path fill-rule="evenodd" fill="#ff7eb6" d="M12 4a8 8 0 0 0-7.9 7c1 .8 1.6-.4 2.6.2s.7 2 2 1.6A3.3 3.3 0 0 1 12 8.8a3.3 3.3 0 0 1 3.3 3.8c1.3.6 1.8-.8 3-.2s1.3 1 1.6.2A8 8 0 0 0 12 4z"/>' +
      '<path d="M8 6.5l1 .6M15.5 6l-.6 1M17.5 9.5l-1 .2M6 9.8l1.1-.3M12 5.2v1" stroke="#fff" stroke-width=".9" stroke-linecap="round"/>',
    '#d9913c',
  ],
  // Two hands shaping a big heart.
  'hand-hearts': [
    `<path d="${HEART}" transform="translate(2.4 1.5) scale(.8)"/>` +
      '<path d="M2 21v-6l2.5-5c.6-1.2 2.3-.6 2 .7L5.6 15l3 3.5V21zM22 21v-6l-2.5-5c-.6-1.2-2.3-.6-2 .7l.9 4.3-3 3.5V21z" fill="#ffcc99"/>',
    '#ff2e63',
  ],
  // A corgi's face: tall ears, white blaze, nose.
  corgi: [
    '<path d="M4 3l4.5 5h7L20 3l1 9.5c0 5-4 8.5-9 8.5s-9-3.5-9-8.5z"/>' +
      '<path d="M12 9c1 0 1.8 2 1.8 4 2 .4 3.6 1.8 3.6 3.4 0 2-2.4 3.4-5.4 3.4s-5.4-1.4-5.4-3.4c0-1.6 1.6-3 3.6-3.4 0-2 .8-4 1.8-4z" fill="#fff"/>' +
      '<ellipse cx="12" cy="15.2" rx="1.4" ry="1" fill="#222"/><circle cx="8.2" cy="11.6" r="1.1" fill="#222"/><circle cx="15.8" cy="11.6" r="1.1" fill="#222"/>' +
      '<path d="M5.5 5.5l2.3 3M18.5 5.5l-2.3 3" stroke="#ffb3a7" stroke-width="1.2"/>',
    '#f6b26b',
  ],
  // A spiral galaxy: two arms around a bright core.
  galaxy: [
    '<path d="M12 12c0-3 2.5-5.5 5.5-5 2.6.4 4 2.6 3.5 4.8M12 12c0 3-2.5 5.5-5.5 5-2.6-.4-4-2.6-3.5-4.8" fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round"/>' +
      '<path d="M12 12c-3 0-5.3-2.2-4.9-5.1.3-2 2-3.5 3.9-3.6M12 12c3 0 5.3 2.2 4.9 5.1-.3 2-2 3.5-3.9 3.6" fill="none" stroke="currentColor" stroke-opacity=".6" stroke-width="1.8" stroke-linecap="round"/>' +
      '<circle cx="12" cy="12" r="2.6" fill="#fff"/><circle cx="4" cy="5" r=".8" fill="#fff"/><circle cx="20" cy="19" r=".7" fill="#fff"/>',
    '#8c7bff',
  ],
  // A whale diving, tail up, over a wave.
  'whale-diving': [
    '<path d="M3 13c0-3.6 3.6-6 8-6 3.6 0 6.2 1.6 7.2 4l2.3-3.3c.4-.5 1.3-.3 1.2.4l-.5 3.4c-.1.6-.5 1-1 1.1L18.6 14c-1 3-4 4.5-7.6 4.5C6.4 18.5 3 16.5 3 13z"/>' +
      '<path d="M4 14.5c2 1.4 5 2 8 1.5" stroke="#fff" stroke-opacity=".7" stroke-width="1" fill="none"/><circle cx="7" cy="11.2" r=".9" fill="#fff"/>' +
      '<path d="M9 5.5c.2-1.5 1.2-2.5 2.2-3M9 5.5c-.5-1.3-1.6-2-2.7-2.1" stroke="#bfe6ff" stroke-width="1" fill="none"/>' +
      '<path d="M1 21c2.5-1.6 4.5-1.6 7 0s4.5 1.6 7 0 4.5-1.6 8 0" stroke="#bfe6ff" stroke-width="1.4" fill="none"/>',
    '#3fa9f5',
  ],
  // A long saloon with a chrome grille and a hood ornament.
  'luxury-car': [
    '<path d="M1.5 16.5v-3l2-.8 3-4.2c.4-.6 1-.9 1.7-.9h7.2c.7 0 1.4.3 1.8.9l2.8 4 2.2.6c.6.2.9.6.9 1.2v2.2h-2a2.5 2.5 0 0 0-5 0H8.6a2.5 2.5 0 0 0-5 0z"/>' +
      '<path d="M7.2 12.4l1.9-3.2h2.9v3.2zM13 9.2h2.6c.4 0 .7.2.9.5l1.7 2.7H13z" fill="#fff7d6" fill-opacity=".85"/>' +
      '<rect x="20" y="13.6" width="2" height="1.8" rx=".3" fill="#e8e8e8"/><circle cx="6.1" cy="16.7" r="1.9" fill="#333"/><circle cx="17.9" cy="16.7" r="1.9" fill="#333"/>' +
      '<path d="M3 6.5l1-1.5 1 1.5" stroke="#e8e8e8" stroke-width=".8" fill="none"/>',
    '#ffcc33',
  ],
  // A theatre mask wearing a tiara.
  'drama-queen': [
    '<path d="M8 5.5l1.5-2.5 1.5 2 1-2.5 1 2.5 1.5-2 1.5 2.5z" fill="#ffd166"/>' +
      '<path d="M4 7c5-1.5 11-1.5 16 0 .5 7-2.6 13-8 13S3.5 14 4 7z"/>' +
      '<path d="M7 10.5c1-.8 2.5-.8 3.3 0M13.7 10.5c.8-.8 2.3-.8 3.3 0" stroke="#fff" stroke-width="1.4" fill="none" stroke-linecap="round"/>' +
      '<path d="M8.5 15c2 1.8 5 1.8 7 0" stroke="#fff" stroke-width="1.4" fill="none" stroke-linecap="round"/><circle cx="12" cy="4" r=".8" fill="#fff"/>',
    '#ff6bd6',
  ],
  // A low wedge with a rear wing and racing stripe.
  'sports-car': [
    '<path d="M1 16.5V14l4-1.4 5.2-3.4c.5-.3 1-.5 1.6-.5h3.4c.6 0 1.1.3 1.5.7l2.3 2.6 3.2.7c.5.1.8.5.8 1v2.8h-1.7a2.4 2.4 0 0 0-4.8 0H8.3a2.4 2.4 0 0 0-4.8 0z"/>' +
      '<path d="M1 10.5h3.5v2.2H3z" /><path d="M10 12.3l2-2.6h3.2l2 2.6z" fill="#1b1b24" fill-opacity=".7"/>' +
      '<path d="M2 14.6h19" stroke="#fff" stroke-width=".9"/><circle cx="5.9" cy="16.7" r="1.8" fill="#333"/><circle cx="17.6" cy="16.7" r="1.8" fill="#333"/>',
    '#ff4d4d',
  ],
  // A rocket with a flame.
  interstellar: [
    '<path d="M12 1.5c3.3 2.3 4.5 6 4.2 10.5l2.3 3.2v3.3l-3.4-1.8H8.9L5.5 18.5v-3.3l2.3-3.2C7.5 7.5 8.7 3.8 12 1.5z"/>' +
      '<circle cx="12" cy="8.4" r="1.9" fill="#14213d"/><circle cx="12" cy="8.4" r="1" fill="#fff" fill-opacity=".6"/>' +
      '<path d="M9.8 17.5h4.4c-.3 2.2-1.1 3.8-2.2 5-1.1-1.2-1.9-2.8-2.2-5z" fill="#ffb347"/>',
    '#7df9ff',
  ],
  // A falcon swooping, wings spread.
  falcon: [
    '<path d="M12 8.5c1.3 0 2.2.9 2.4 2.1l7.6-4.1c.5-.3 1 .3.7.8-2 3.2-4.7 5.4-8 6.3l-.8 3.5 1.6 3.4h-7l1.6-3.4-.8-3.5c-3.3-.9-6-3.1-8-6.3-.3-.5.2-1.1.7-.8l7.6 4.1c.2-1.2 1.1-2.1 2.4-2.1z"/>' +
      '<path d="M12 8.5l-1.2-1.6L12 6l1.2.9z" fill="#ffb000"/><path d="M4.5 8.5l5 2.4M19.5 8.5l-5 2.4" stroke="#fff" stroke-opacity=".5" stroke-width=".8"/>',
    '#ffd166',
  ],
  // A pink nebula cloud with a rose-shaped star at its heart.
  'rosa-nebula': [
    '<path d="M6 17.5a4.5 4.5 0 0 1 .6-9A6 6 0 0 1 18 7.2a5.2 5.2 0 0 1 0 10.3z" fill-opacity=".85"/>' +
      '<path d="M5 19c3-1 5-3.4 7-3.4s4.5 2.2 8 2.8" stroke="#ffc2f2" stroke-width="1" fill="none"/>' +
      '<path d="M12 7.5l1 2.5 2.6.3-2 1.7.6 2.6-2.2-1.4-2.2 1.4.6-2.6-2-1.7 2.6-.3z" fill="#fff"/><circle cx="19.5" cy="4" r=".8" fill="#fff"/><circle cx="4" cy="5" r=".6" fill="#fff"/>',
    '#ff7de9',
  ],
  // A lion's face in a spiky mane.
  lion: [
    '<path d="M12 1.5l2 2.4 3-1 .6 3 3 .7-1 2.9 2.4 2-2.4 2 1 2.9-3 .7-.6 3-3-1-2 2.4-2-2.4-3 1-.6-3-3-.7 1-2.9L1.5 12l2.4-2-1-2.9 3-.7.6-3 3 1z" fill="#c46a00"/>' +
      '<circle cx="12" cy="12" r="6.2"/><circle cx="9.6" cy="10.8" r=".9" fill="#3a2a00"/><circle cx="14.4" cy="10.8" r=".9" fill="#3a2a00"/>' +
      '<path d="M10.6 13.4h2.8L12 15z" fill="#3a2a00"/><path d="M12 15v1.2M10.2 16.6c.8.6 2.8.6 3.6 0" stroke="#3a2a00" stroke-width=".8" fill="none"/>',
    '#ffb000',
  ],
  // A ringed planet among stars and a crescent moon.
  universe: [
    '<circle cx="11" cy="12.5" r="5.6"/><ellipse cx="11" cy="12.5" rx="10" ry="3" fill="none" stroke="#ffd166" stroke-width="1.4" transform="rotate(-20 11 12.5)"/>' +
      '<path d="M20 2.5a2.6 2.6 0 1 0 2 4 2.1 2.1 0 1 1-2-4z" fill="#fff"/>' +
      '<path d="M4 3l.5 1.3 1.3.5-1.3.5L4 6.6l-.5-1.3-1.3-.5 1.3-.5zM19.5 18l.4 1 1 .4-1 .4-.4 1-.4-1-1-.4 1-.4z" fill="#fff"/>',
    '#b388ff',
  ],
};
