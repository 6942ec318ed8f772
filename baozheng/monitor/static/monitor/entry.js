// Validation while typing in the data-entry grid; the server repeats every check on save.
// Errors (not a number, growth <= -100 %, a fractional count) block; warnings ask to verify.
(function () {
  "use strict";
  function parse(text) {
    var cleaned = String(text || "").trim().replace(/[,，%％]/g, "");
    if (cleaned === "") { return null; }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) { return NaN; }
    return parseFloat(cleaned);
  }
  function num(row, name) {
    var raw = row.getAttribute(name);
    return raw === null || raw === "" ? null : parseFloat(raw);
  }
  function fmt(x) { return (Math.round(x * 10) / 10).toFixed(1); }

  // The validation rules (校验规则) of this line, as the server states them; rule errors
  // refuse submission on the server but do not stop saving a draft, so they never block here.
  function ruleIssues(row, value, growth) {
    var rules = JSON.parse(row.getAttribute("data-rules") || "[]");
    var prev = num(row, "data-prev-value"), last = num(row, "data-last-value");
    var parent = num(row, "data-parent-value"), found = [];
    if (value === null) { return found; }
    rules.forEach(function (rule) {
      var text = null;
      if (rule.kind === "month_nonnegative" && prev !== null && value < prev) {
        text = "本期累计值 " + value + " 低于上期 " + prev + "，单月值为负";
      } else if (rule.kind === "max_ratio_last_year" && last !== null && last > 0 && rule.k !== null &&
                 value > last * rule.k) {
        text = "本期累计值 " + value + " 超过上年同期 " + last + " 的 " + rule.k + " 倍";
      } else if (rule.kind === "growth_consistent" && growth !== null && last !== null && last > 0 &&
                 rule.k !== null && Math.abs(growth - (value / last - 1) * 100) > rule.k) {
        text = "同比增长 " + growth + "% 与按累计值计算的 " + fmt((value / last - 1) * 100) + "% 不符";
      } else if (rule.kind === "not_above_parent" && parent !== null && value > parent) {
        text = "本单位累计值 " + value + " 超过上级的 " + parent;
      }
      if (text) {
        found.push({error: rule.error, text: "【" + rule.name + "】" + text +
          (rule.error ? "（不能提交）" : "，提交时须在“说明”中写明原因")});
      }
    });
    return found;
  }

  function check(row) {
    var valueInput = row.querySelector("[data-field=value]");
    var growthInput = row.querySelector("[data-field=growth]");
    var value = valueInput ? parse(valueInput.value) : null;
    var growth = parse(growthInput.value);
    var kind = row.getAttribute("data-kind");
    var errors = [], warnings = [], ruleErrors = [];
    if (Number.isNaN(value)) { errors.push("累计值不是数字"); }
    if (Number.isNaN(growth)) { errors.push("同比增长不是数字"); }
    if (typeof value === "number" && !Number.isNaN(value) && kind === "count" &&
        (value < 0 || Math.floor(value) !== value)) { errors.push("数量类指标应为非负整数"); }
    if (typeof growth === "number" && (growth <= -100 || growth > 1000)) {
      errors.push("同比增长应大于 −100% 且不超过 1000%");
    }
    if (!errors.length) {
      var prevValue = num(row, "data-prev-value"), prevGrowth = num(row, "data-prev-growth");
      var lastValue = num(row, "data-last-value"), threshold = num(row, "data-threshold");
      if (value !== null && value < 0 && row.getAttribute("data-cumulative") === "1") {
        warnings.push("累计值为负数，请核实");
      }
      if (value !== null && prevValue !== null && row.getAttribute("data-cumulative") === "1" &&
          kind !== "growth" && value < prevValue) {
        warnings.push("累计值低于上期（" + prevValue + "），请核实");
      }
      var current = growth;
      if (current === null && value !== null && lastValue !== null && lastValue > 0) {
        current = (value / lastValue - 1) * 100;
        warnings.push("按累计值计算同比增长 " + fmt(current) + "%");
      }
      if (current !== null && prevGrowth !== null && threshold !== null &&
          Math.abs(current - prevGrowth) > threshold) {
        warnings.push("增速较上期（" + fmt(prevGrowth) + "%）变化 " + fmt(Math.abs(current - prevGrowth)) +
                      " 个百分点，超过 " + threshold + " 个百分点，请核实");
      }
    }
    if (!errors.length) { ruleIssues(row, value, growth).forEach(function (issue) {
      (issue.error ? ruleErrors : warnings).push(issue.text);
    }); }
    var box = row.querySelector(".check");
    box.textContent = "";
    errors.concat(ruleErrors).forEach(function (t) { var d = document.createElement("div"); d.className = "error"; d.textContent = t; box.appendChild(d); });
    warnings.forEach(function (t) { var d = document.createElement("div"); d.className = "warn"; d.textContent = t; box.appendChild(d); });
    [valueInput, growthInput].forEach(function (input) {
      if (!input) { return; }
      input.classList.toggle("invalid", errors.length > 0);
      input.classList.toggle("doubtful", !errors.length && (warnings.length + ruleErrors.length) > 0);
    });
    return errors.length === 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("entry-form");
    if (form) {
      form.addEventListener("input", function (event) {
        var row = event.target.closest("tr.entry-line");
        if (row) { check(row); }
      });
      form.addEventListener("submit", function (event) {
        var ok = true;
        form.querySelectorAll("tr.entry-line").forEach(function (row) { ok = check(row) && ok; });
        if (!ok) { event.preventDefault(); window.alert("有数据未通过校验，请按提示修改后再保存"); }
      });
    }
    // <input type=checkbox data-check-all="name">: tick every box of that name.
    document.querySelectorAll("[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name='" + box.getAttribute("data-check-all") + "']")
          .forEach(function (other) { other.checked = box.checked; });
      });
    });
  });
})();
