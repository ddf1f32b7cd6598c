// The public verification page: hash the file here (WebCrypto), send only the hash.
(function () {
  "use strict";
  const root = document.getElementById("verify");
  const t = JSON.parse(root.dataset.messages);
  const lang = root.dataset.lang;
  const form = document.getElementById("form");
  const fileInput = document.getElementById("file");
  const hashInput = document.getElementById("hash");
  const drop = document.getElementById("drop");
  const result = document.getElementById("result");

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function hashFile(file) {
    return hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
  }

  function show(kind, nodes) {
    result.hidden = false;
    result.className = "result " + kind;
    result.replaceChildren(...nodes);
  }

  function line(text, className) {
    const p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    return p;
  }

  // Times carry their zone: the reader's, named, so "19:28" is never ambiguous.
  function when(iso) {
    return new Date(iso).toLocaleString(lang === "en" ? "en-GB" : "fr-FR", {
      dateStyle: "long",
      timeStyle: "long",
    });
  }

  function list() {
    const dl = document.createElement("dl");
    const add = (label, value, className) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value;
      if (className) dd.className = className;
      dl.append(dt, dd);
    };
    return { dl, add };
  }

  function describeDocument(doc) {
    const { dl, add } = list();
    add(t.document, doc.label);
    add(t.deposit, doc.reference);
    add(t.signed_by, doc.signed_by);
    add(t.issued_at, when(doc.issued_at));
    add(t.signer_certificate, doc.signer_certificate_sha256, "hash");
    return dl;
  }

  function describe(item) {
    const { dl, add } = list();
    add(t.deposit, item.reference);
    add(t.sealed_at, when(item.sealed_at));
    if (item.approximate_place) {
      add(t.place, item.approximate_place.latitude + ", " + item.approximate_place.longitude);
    }
    if (item.anchor) {
      add(t.anchor, t.chain + " " + item.anchor.chain_id + ", " + t.block + " " +
        item.anchor.block_number + " — " + item.anchor.transaction_hash, "hash");
      if (item.anchor.label) add("", item.anchor.label, "label-dev");
    } else {
      add(t.anchor, t.pending);
    }
    return dl;
  }

  async function check(sha256) {
    const response = await fetch("/api/v1/verify?sha256=" + sha256 + "&lang=" + lang, {
      method: "GET",
      headers: { accept: "application/json" },
      credentials: "omit",
    });
    if (!response.ok) {
      show("ko", [line(t.error)]);
      return;
    }
    const body = await response.json();
    const digest = line(t.digest + " : " + sha256, "hash");
    if (!body.found) {
      show("ko", [line(t.not_found), digest]);
      return;
    }
    const documents = body.documents || [];
    const nodes = [digest];
    if (documents.length) {
      nodes.unshift(line(t.document_found));
      nodes.push(...documents.map(describeDocument), line(t.signature_check));
    }
    if (body.items.length) nodes.push(line(t.found), ...body.items.map(describe));
    show("ok", nodes);
    result.dataset.found = "true";
  }

  async function run(file) {
    delete result.dataset.found;
    if (file) {
      show("", [line(t.computing)]);
      const sha256 = await hashFile(file);
      hashInput.value = sha256;
      await check(sha256);
      return;
    }
    const value = hashInput.value.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(value)) {
      show("ko", [line(t.invalid)]);
      return;
    }
    await check(value);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(fileInput.files[0]).catch(() => show("ko", [line(t.error)]));
  });
  fileInput.addEventListener("change", () => {
    if (fileInput.files[0]) run(fileInput.files[0]).catch(() => show("ko", [line(t.error)]));
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer.files[0];
    if (file) run(file).catch(() => show("ko", [line(t.error)]));
  });
})();
