/**
 * The homepage's Eta template. Every `<%= %>` is HTML-escaped by Eta (autoEscape), so a
 * hostile destination name ends up as text; raw output (`<%~ %>`) is not used anywhere.
 * Script and styles are separate site objects: the page's CSP allows no inline code.
 * The map is inline SVG drawn at render time (no images, no tiles), so the CSP allows
 * nothing more for it. It is hidden from assistive technology: the list is its text
 * alternative, and pins are not tab stops (the keyboard path is the list and the form).
 */
export const HOMEPAGE_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'">
<meta name="projection-version" content="<%= it.version %>">
<title>visitplannr: where shall we go for a day?</title>
<link rel="stylesheet" href="<%= it.assets.css %>">
<script type="module" src="<%= it.assets.js %>"></script>
</head>
<body>
<a class="skip-link" href="#propose-heading">Skip to the proposal form</a>
<header class="masthead">
<h1>visitplannr</h1>
<p>Day trips people want to make, newest first.</p>
</header>
<main>
<section aria-labelledby="recent-heading">
<h2 id="recent-heading">Recently proposed</h2>
<figure class="map">
<svg id="map" class="map-svg" viewBox="0 0 <%= it.map.width %> <%= it.map.height %>" aria-hidden="true" focusable="false">
<path class="map-sphere" d="<%= it.map.sphere %>"/>
<path class="map-land" d="<%= it.map.land %>"/>
<g id="map-pins">
<% it.map.pins.forEach(function (pin) { %>
<a class="pin" href="#destination-<%= pin.id %>" data-id="<%= pin.id %>" tabindex="-1"><title><%= pin.name %></title><circle cx="<%= pin.x %>" cy="<%= pin.y %>" r="6"/><text class="pin-label" x="<%= pin.x + 9 %>" y="<%= pin.y + 4 %>"><%= pin.name %></text></a>
<% }) %>
</g>
</svg>
<figcaption>The destinations below on a world map. Click the map to fill in a place's latitude and longitude in the form.</figcaption>
</figure>
<p id="empty-state" class="empty-state"<% if (it.destinations.length > 0) { %> hidden<% } %>>No destinations yet. Be the first: propose one below.</p>
<ol id="destinations" class="destinations">
<% it.destinations.forEach(function (destination) { %>
<li class="destination" data-id="<%= destination.id %>" id="destination-<%= destination.id %>">
<h3 class="destination-name"><%= destination.name %></h3>
<p class="destination-meta"><span class="country"><%= destination.country %></span> · <span class="status status-<%= destination.statusKey %>"><%= destination.status %></span> · proposed <time datetime="<%= destination.proposedAt %>"><%= destination.proposedLabel %></time></p>
</li>
<% }) %>
</ol>
</section>
<section class="propose" aria-labelledby="propose-heading">
<h2 id="propose-heading" tabindex="-1">Propose a destination</h2>
<form id="propose-form" novalidate data-api-url="<%= it.apiUrl %>">
<div class="field">
<label for="name">Name</label>
<input id="name" name="name" type="text" maxlength="100" autocomplete="off" required aria-describedby="name-problem">
<p id="name-problem" class="problem" hidden></p>
</div>
<div class="field">
<label for="latitude">Latitude <span class="hint">(-90 to 90)</span></label>
<input id="latitude" name="latitude" type="text" inputmode="decimal" autocomplete="off" required aria-describedby="latitude-problem">
<p id="latitude-problem" class="problem" hidden></p>
</div>
<div class="field">
<label for="longitude">Longitude <span class="hint">(-180 to 180)</span></label>
<input id="longitude" name="longitude" type="text" inputmode="decimal" autocomplete="off" required aria-describedby="longitude-problem">
<p id="longitude-problem" class="problem" hidden></p>
</div>
<div class="actions">
<button type="button" id="use-location" class="secondary" hidden>Use my location</button>
<button type="submit" id="propose-button">Propose</button>
</div>
</form>
<div id="outcome" class="outcome" role="status" aria-live="polite"></div>
<section id="journey" class="journey" aria-labelledby="journey-heading" hidden>
<h3 id="journey-heading">Your proposal's journey</h3>
<ol id="journey-steps" class="journey-steps" aria-labelledby="journey-heading"></ol>
<p id="journey-note" class="journey-note"></p>
</section>
</section>
</main>
<footer class="footer">Rendered from version <%= it.version %> of the recent-destinations projection.</footer>
</body>
</html>
`;
