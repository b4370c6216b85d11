#include "docs/docs_page.hpp"

namespace micro_order::docs {

namespace {

// One self-contained page: no CDN, no font or image from elsewhere, and the Content-Security-
// Policy the handler sends forbids any other origin anyway. Every text from a document goes in
// with textContent (never innerHTML). The first script records script errors, failed loads and
// console.error calls in <pre id="errors">; the page itself never calls console.error, and an
// unavailable service is rendered as such, not thrown.
constexpr std::string_view kPage = R"page(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>micro-order API</title>
<link rel="icon" href="data:,">
<script>
(function () {
  'use strict';
  var recorded = [];
  function show() {
    var box = document.getElementById('errors');
    if (box && recorded.length) {
      box.textContent = recorded.join('\n');
      box.hidden = false;
    }
  }
  function record(text) {
    recorded.push(String(text));
    show();
  }
  window.addEventListener('error', function (event) {
    if (event.target && event.target !== window) {
      record('could not load ' + (event.target.src || event.target.href || event.target.tagName));
    } else {
      record('error: ' + event.message + ' (' + event.filename + ':' + event.lineno + ')');
    }
  }, true);
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    record('unhandled rejection: ' + (reason && reason.message ? reason.message : reason));
  });
  document.addEventListener('securitypolicyviolation', function (event) {
    record('blocked by the content security policy: ' + event.blockedURI + ' (' + event.violatedDirective + ')');
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
  document.addEventListener('DOMContentLoaded', show);
})();
</script>
<style>
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da;
  --get: #0969da; --post: #1a7f37; --put: #9a6700; --patch: #8250df; --delete: #cf222e;
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
header { background: #24292f; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 22px; font-weight: 600; }
header p { margin: 4px 0 0; color: #d0d7de; }
nav { border-bottom: 1px solid var(--line); background: var(--soft); padding: 8px 32px; position: sticky; top: 0; z-index: 1; }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
nav a.down { color: var(--delete); }
nav #status { float: right; color: var(--muted); margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 8px 32px 48px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
a { color: var(--accent); }
section.service { margin-top: 28px; }
section.service > h2 { font-size: 24px; margin: 0 0 4px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h2 .version { font-size: 13px; font-weight: 400; color: var(--muted); margin-left: 8px; }
.info { color: var(--muted); margin: 4px 0 12px; }
.unavailable-message { border: 1px solid #ffcecb; background: #ffebe9; color: #82071e; padding: 10px 14px; border-radius: 6px; }
.loading { color: var(--muted); font-style: italic; }
article.op { border: 1px solid var(--line); border-radius: 8px; margin: 14px 0; overflow: hidden; }
article.op > h3 { margin: 0; padding: 10px 14px; background: var(--soft); border-bottom: 1px solid var(--line);
  font-size: 16px; font-weight: 600; display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.method { display: inline-block; min-width: 62px; text-align: center; color: #fff; border-radius: 4px;
  padding: 1px 8px; font-size: 13px; font-weight: 700; letter-spacing: .03em; }
.method-get { background: var(--get); } .method-post { background: var(--post); } .method-put { background: var(--put); }
.method-patch { background: var(--patch); } .method-delete { background: var(--delete); }
.path { font-size: 15px; font-weight: 600; }
.summary { color: var(--muted); font-weight: 400; }
.op-body { padding: 4px 14px 12px; }
.op-body h4 { margin: 14px 0 6px; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px 5px 0; border-bottom: 1px solid #eaeef2; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.name { white-space: nowrap; width: 1%; padding-right: 18px; }
.status-code { font-weight: 700; }
.status-2 { color: var(--post); } .status-4 { color: var(--delete); } .status-5 { color: var(--put); }
.example { display: block; margin-top: 2px; color: var(--muted); }
.schemas h3 { font-size: 17px; margin: 22px 0 4px; }
.schema { border-left: 3px solid var(--line); padding: 2px 0 2px 12px; margin: 10px 0; }
.schema h4 { margin: 0 0 4px; font-size: 15px; }
.schema:target { border-left-color: var(--accent); }
pre#errors { border: 1px solid var(--delete); color: var(--delete); padding: 10px; white-space: pre-wrap; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 24px; }
</style>
</head>
<body data-state="loading">
<header>
  <h1>micro-order API</h1>
  <p>The OpenAPI documents of the services, read from each service when this page loads.</p>
</header>
<nav id="nav"><p id="status" role="status">Loading…</p></nav>
<main id="services"></main>
<pre id="errors" hidden></pre>
<footer>Every path also works without its trailing slash. Every listener also answers GET /healthz, GET /readyz and GET /metrics.</footer>
<script>
(function () {
  'use strict';
  var METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  var services = document.getElementById('services');
  var nav = document.getElementById('nav');
  var statusLine = document.getElementById('status');

  // el('a', {href: '#x'}, ['text', node, ...]): strings become text nodes.
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    [].concat(children === undefined ? [] : children).forEach(function (child) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function slug(text) { return String(text).replace(/[^A-Za-z0-9_-]+/g, '-'); }
  function schemaAnchor(service, name) { return 'schema-' + slug(service) + '-' + slug(name); }

  // The JSON body, or a rejection whose message says why the service is unavailable.
  function getJson(url) {
    return fetch(url, {headers: {Accept: 'application/json'}, cache: 'no-store'}).then(function (response) {
      return response.ok ? response.json() : response.json().then(function (body) {
        return body && body.detail;
      }, function () {
        return null;
      }).then(function (detail) {
        throw new Error(detail || ('HTTP ' + response.status + ' ' + response.statusText));
      });
    });
  }

  // What a local "$ref" points at ({} when it points at nothing).
  function resolve(doc, value) {
    if (!value || typeof value.$ref !== 'string' || value.$ref.indexOf('#/') !== 0) {
      return value || {};
    }
    return value.$ref.slice(2).split('/').reduce(function (node, part) {
      return node && node[part];
    }, doc) || {};
  }
  function refName(value) { return value && typeof value.$ref === 'string' ? value.$ref.split('/').pop() : null; }

  function constraints(schema) {
    var notes = [];
    if (schema.enum) { notes.push('one of ' + schema.enum.join(', ')); }
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      notes.push(schema.minimum + '–' + schema.maximum);
    } else if (schema.minimum !== undefined) {
      notes.push('≥ ' + schema.minimum);
    } else if (schema.maximum !== undefined) {
      notes.push('≤ ' + schema.maximum);
    }
    if (schema.minLength !== undefined || schema.maxLength !== undefined) {
      notes.push((schema.minLength || 0) + '–' + (schema.maxLength === undefined ? '…' : schema.maxLength) + ' characters');
    }
    if (schema.default !== undefined) { notes.push('default ' + JSON.stringify(schema.default)); }
    return notes;
  }

  // A schema as text, with links to the named schemas it uses.
  function typeNodes(service, schema) {
    if (!schema) { return ['any']; }
    var name = refName(schema);
    if (name) { return [el('a', {href: '#' + schemaAnchor(service, name)}, name)]; }
    if (Array.isArray(schema.oneOf)) {
      return schema.oneOf.reduce(function (nodes, option, index) {
        return nodes.concat(index ? [' or '] : [], typeNodes(service, option));
      }, []);
    }
    if (schema.type === 'array') { return ['array of '].concat(typeNodes(service, schema.items)); }
    if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      return ['object: name → '].concat(typeNodes(service, schema.additionalProperties));
    }
    var text = (schema.type || 'any') + (schema.format ? ' (' + schema.format + ')' : '');
    var notes = constraints(schema);
    return [text + (notes.length ? '; ' + notes.join('; ') : '')];
  }

  function table(headings, rows) {
    return el('table', {}, [
      el('thead', {}, el('tr', {}, headings.map(function (heading) { return el('th', {}, heading); }))),
      el('tbody', {}, rows)
    ]);
  }

  function fieldsTable(service, schema) {
    var required = schema.required || [];
    var properties = schema.properties || {};
    return table(['Field', 'Type', 'Required', 'Description'], Object.keys(properties).map(function (field) {
      var property = properties[field];
      return el('tr', {}, [
        el('td', {class: 'name'}, el('code', {}, field)),
        el('td', {}, typeNodes(service, property)),
        el('td', {}, required.indexOf(field) >= 0 ? 'yes' : 'no'),
        el('td', {}, property.description || '')
      ]);
    }));
  }

  function parametersBlock(doc, service, parameters) {
    return [el('h4', {}, 'Parameters'), table(['Name', 'In', 'Type', 'Required', 'Description'],
      parameters.map(function (value) {
        var parameter = resolve(doc, value);
        return el('tr', {}, [
          el('td', {class: 'name'}, el('code', {}, parameter.name || '?')),
          el('td', {}, parameter.in || ''),
          el('td', {}, typeNodes(service, parameter.schema)),
          el('td', {}, parameter.required ? 'yes' : 'no'),
          el('td', {}, parameter.description || '')
        ]);
      }))];
  }

  function requestBodyBlock(doc, service, value) {
    var body = resolve(doc, value);
    var nodes = [el('h4', {}, 'Request body')];
    Object.keys(body.content || {}).forEach(function (mediaType) {
      var schema = body.content[mediaType].schema;
      nodes.push(el('p', {}, [el('code', {}, mediaType), body.required ? ', required: ' : ': ']
        .concat(typeNodes(service, schema), body.description ? ['. ' + body.description] : [])));
      var resolved = resolve(doc, schema);
      if (resolved.properties) { nodes.push(fieldsTable(service, resolved)); }
    });
    return nodes;
  }

  function responsesBlock(doc, service, responses) {
    return [el('h4', {}, 'Responses'), table(['Status', 'Description', 'Body'],
      Object.keys(responses).map(function (status) {
        var response = resolve(doc, responses[status]);
        var body = [];
        Object.keys(response.content || {}).forEach(function (mediaType) {
          var media = response.content[mediaType];
          body = body.concat(typeNodes(service, media.schema));
          if (media.example !== undefined) {
            body.push(el('code', {class: 'example'}, JSON.stringify(media.example)));
          }
        });
        var description = [response.description || ''];
        Object.keys(response.headers || {}).forEach(function (header) {
          description.push(el('div', {}, [el('code', {}, header), ' header: ' + (response.headers[header].description || '')]));
        });
        return el('tr', {}, [
          el('td', {class: 'name status-code status-' + status.charAt(0)}, status),
          el('td', {}, description),
          el('td', {}, body.length ? body : '—')
        ]);
      }))];
  }

  function operationBlock(doc, service, method, path, operation, shared) {
    var parameters = (shared || []).concat(operation.parameters || []);
    var content = [];
    if (operation.description) { content.push(el('p', {}, operation.description)); }
    if (parameters.length) { content = content.concat(parametersBlock(doc, service, parameters)); }
    if (operation.requestBody) { content = content.concat(requestBodyBlock(doc, service, operation.requestBody)); }
    content = content.concat(responsesBlock(doc, service, operation.responses || {}));
    var route = method.toUpperCase() + ' ' + path;
    return el('article', {class: 'op', id: 'op-' + slug(service) + '-' + slug(route)}, [
      el('h3', {}, [el('span', {class: 'method method-' + method}, method.toUpperCase()), ' ',
        el('code', {class: 'path'}, path), ' ', el('span', {class: 'summary'}, operation.summary || '')]),
      el('div', {class: 'op-body'}, content)
    ]);
  }

  function schemasBlock(doc, service) {
    var schemas = (doc.components && doc.components.schemas) || {};
    var names = Object.keys(schemas);
    if (!names.length) { return []; }
    return [el('div', {class: 'schemas'}, [el('h3', {}, 'Schemas')].concat(names.map(function (name) {
      var schema = schemas[name];
      var content = [el('h4', {}, name)];
      if (schema.description) { content.push(el('p', {class: 'info'}, schema.description)); }
      content.push(schema.properties ? fieldsTable(service, schema) : el('p', {}, typeNodes(service, schema)));
      if (schema.example !== undefined) { content.push(el('code', {class: 'example'}, 'e.g. ' + JSON.stringify(schema.example))); }
      return el('div', {class: 'schema', id: schemaAnchor(service, name)}, content);
    })))];
  }

  function renderService(section, service, doc) {
    var info = doc.info || {};
    var content = [
      el('h2', {}, [service, el('span', {class: 'version'}, 'version ' + (info.version || '?') + ' · OpenAPI ' + doc.openapi)]),
      el('p', {class: 'info'}, [(info.description || info.title || '') + ' ',
        el('a', {href: '/openapi/' + encodeURIComponent(service) + '.json'}, 'The document as JSON.')])
    ];
    var paths = doc.paths || {};
    Object.keys(paths).forEach(function (path) {
      var item = paths[path];
      METHODS.forEach(function (method) {
        if (item[method]) { content.push(operationBlock(doc, service, method, path, item[method], item.parameters)); }
      });
    });
    section.replaceChildren.apply(section, content.concat(schemasBlock(doc, service)));
  }

  function renderUnavailable(section, link, service, reason) {
    var prefix = service + ': ';  // the docs plugin's 502 names the service first
    if (reason.indexOf(prefix) === 0) { reason = reason.slice(prefix.length); }
    link.classList.add('down');
    section.classList.add('unavailable');
    section.replaceChildren(el('h2', {}, service),
      el('p', {class: 'unavailable-message'}, service + ' is unavailable: ' + reason));
  }

  function finish(text) {
    statusLine.textContent = text;
    document.body.setAttribute('data-state', 'done');
  }

  // A service that cannot be fetched is shown as unavailable; a bug in the rendering is left to
  // reject, so that the recorder above reports it.
  function showServices(names) {
    var loads = names.map(function (service) {
      var section = el('section', {class: 'service', id: 'service-' + slug(service)},
        [el('h2', {}, service), el('p', {class: 'loading'}, 'Loading…')]);
      var link = el('a', {href: '#service-' + slug(service)}, service);
      services.append(section);
      nav.insertBefore(link, statusLine);
      return getJson('/openapi/' + encodeURIComponent(service) + '.json').then(function (doc) {
        renderService(section, service, doc);
        return true;
      }, function (reason) {
        renderUnavailable(section, link, service, reason.message || String(reason));
        return false;
      });
    });
    return Promise.all(loads).then(function (results) {
      var shown = results.filter(Boolean).length;
      finish(shown + ' of ' + results.length + ' services documented');
    });
  }

  getJson('/openapi/').then(showServices, function (reason) {
    services.replaceChildren(el('p', {class: 'unavailable-message'},
      'The list of services is unavailable: ' + (reason.message || String(reason))));
    finish('no services');
  });
})();
</script>
</body>
</html>
)page";

}  // namespace

std::string_view docsPage() { return kPage; }

}  // namespace micro_order::docs
