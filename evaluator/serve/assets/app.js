// budgetcheck serve: uploads with progress, and the table's filters and
// sorting. No framework, no build step; the page works as served.
"use strict";

(function () {
  const lang = document.body.dataset.lang || "zh";
  const q = lang === "zh" ? "" : "?lang=" + lang;

  // --- the upload page ---
  const drop = document.getElementById("drop");
  if (drop) {
    const input = document.getElementById("files");
    const msg = drop.dataset;
    const bar = document.getElementById("bar");
    const status = document.getElementById("status");
    const log = document.getElementById("log");
    const note = (text, error) => {
      const li = document.createElement("li");
      li.textContent = text;
      if (error) li.className = "error";
      log.appendChild(li);
    };
    const send = (url, body, onProgress) => new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.responseType = "json";
      if (onProgress) xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.response });
      xhr.onerror = () => resolve({ status: 0, body: null });
      xhr.send(body);
    });
    const errorText = (r) => {
      const e = r.body && r.body.errors && r.body.errors[0];
      return e ? e.message + " [" + e.code + "]" : "HTTP " + r.status;
    };
    const wanted = /\.(xlsx|xlsm|yaml|yml|json)$/i;
    const submissionFile = /\.(yaml|yml|json)$/i;
    // pick keeps what batch would take from a folder: workbooks, and the
    // YAML/JSON files that declare the submission schema in their first 64 KiB
    // (an expected.json beside a fixture is passed over); hidden files and
    // folders are passed over too. Each file passed over gets a line.
    const pick = async (files, fromFolder) => {
      const kept = [];
      for (const f of files) {
        const path = f.relPath || f.webkitRelativePath || f.name;
        if (!fromFolder) { kept.push(f); continue; }
        if (path.split("/").some((p) => p.startsWith("."))) continue;
        if (!wanted.test(f.name)) { note(path + "：" + msg.msgSkipped); continue; }
        if (submissionFile.test(f.name) && !(await f.slice(0, 65536).text()).includes("budgetcheck/v1")) {
          note(path + "：" + msg.msgSkipped + "（" + msg.msgUndeclared + "）");
          continue;
        }
        kept.push(f);
      }
      return kept;
    };
    // walk reads a dropped folder's files, recursively.
    const walk = (entry, prefix, out) => new Promise((resolve) => {
      if (entry.isFile) {
        entry.file((f) => { f.relPath = prefix + f.name; out.push(f); resolve(); }, () => resolve());
        return;
      }
      const reader = entry.createReader();
      const next = () => reader.readEntries(async (entries) => {
        if (!entries.length) { resolve(); return; }
        for (const e of entries) await walk(e, prefix + entry.name + "/", out);
        next();
      }, () => resolve());
      next();
    });
    const upload = async (files, fromFolder) => {
      document.getElementById("progress").hidden = false;
      files = await pick(files, fromFolder);
      if (!files.length) { drop.hidden = false; return; }
      const year = document.getElementById("fiscal-year").value;
      const fq = year ? (q ? q + "&" : "?") + "fiscal_year=" + encodeURIComponent(year) : q;
      drop.hidden = true;
      const created = await send("/b" + q, null);
      if (created.status !== 201) { note(errorText(created), true); drop.hidden = false; return; }
      const id = created.body.id;
      let failed = 0;
      for (let i = 0; i < files.length; i++) {
        const f = files[i];
        status.textContent = msg.msgUploading + " " + (i + 1) + " / " + files.length + "：" + f.name;
        const form = new FormData();
        form.append("file", f, f.name);
        const r = await send("/b/" + id + "/files" + fq, form, (p) => { bar.value = 100 * (i + p * 0.5) / files.length; });
        bar.value = 100 * (i + 1) / files.length;
        if (r.status === 200) {
          note(f.name + "：" + r.body.projects + " " + msg.msgProjects);
        } else {
          failed++;
          note(f.name + "：" + msg.msgFailed + " — " + errorText(r), true);
        }
      }
      if (failed < files.length) {
        status.textContent = msg.msgDone;
        window.location.href = "/b/" + id + q;
      } else {
        status.textContent = "";
        drop.hidden = false; // nothing to show: let the reviewer try again
      }
    };
    input.addEventListener("change", () => upload(Array.from(input.files), false));
    const folder = document.getElementById("folder");
    folder.addEventListener("change", () => upload(Array.from(folder.files), true));
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      const items = Array.from(e.dataTransfer.items || []).map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
      if (items.some((en) => en.isDirectory)) {
        const out = [];
        Promise.all(items.map((en) => walk(en, "", out))).then(() => upload(out, true));
        return;
      }
      upload(Array.from(e.dataTransfer.files), false);
    });
  }

  // --- the table of projects ---
  const table = document.getElementById("projects");
  if (table) {
    const tbody = table.tBodies[0];
    const rows = Array.from(tbody.rows);
    const outcome = document.getElementById("f-outcome");
    const unit = document.getElementById("f-unit");
    const code = document.getElementById("f-code");
    const shown = document.getElementById("shown");
    const filter = () => {
      let n = 0;
      for (const tr of rows) {
        const d = tr.dataset;
        const ok = (!outcome.value || d.outcome === outcome.value) &&
          (!unit.value || d.unit === unit.value) &&
          (!code.value || d.codes.split(" ").includes(code.value));
        tr.hidden = !ok;
        if (ok) n++;
      }
      shown.textContent = n;
    };
    for (const s of [outcome, unit, code]) s.addEventListener("change", filter);
    for (const th of table.tHead.rows[0].cells) {
      if (!th.dataset.sort) continue;
      th.addEventListener("click", () => {
        const key = th.dataset.sort;
        const num = th.dataset.type === "num";
        const desc = th.classList.contains("asc");
        for (const h of table.tHead.rows[0].cells) h.classList.remove("asc", "desc");
        th.classList.add(desc ? "desc" : "asc");
        const val = (tr) => num ? (tr.dataset[key] === "" ? -Infinity : parseFloat(tr.dataset[key])) : tr.dataset[key];
        rows.sort((a, b) => {
          const x = val(a), y = val(b);
          const c = num ? x - y : String(x).localeCompare(String(y), lang === "zh" ? "zh-CN" : "en");
          return desc ? -c : c;
        });
        for (const tr of rows) tbody.appendChild(tr);
      });
    }
    filter();
  }
})();
