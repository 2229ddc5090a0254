/* consult — the respondent's page. Shows and hides dependent questions at once with the same
   rules the server applies (the survey works without this script), and offers printing. */
(function () {
  "use strict";

  function readJSON(element, name) {
    try { return JSON.parse(element.getAttribute(name) || "{}"); } catch (e) { return {}; }
  }

  /* A number as the server reads it: spaces as thousands separators, a decimal comma,
     Arabic-Indic digits and the minus sign; anything else is not a number (NaN). */
  function readNumber(text) {
    var plain = text
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/[\s\u00a0\u202f\u2009]/g, "")
      .replace(",", ".")
      .replace("\u2212", "-");
    return plain === "" ? NaN : Number(plain);
  }

  function currentAnswer(form, key, type) {
    var prefix = "q_" + key;
    var inputs = Array.prototype.filter.call(form.elements, function (el) {
      return el.name === prefix || el.name.indexOf(prefix + "__") === 0;
    });
    var picked = inputs.filter(function (el) {
      return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "";
    });
    if (type === "multiple_choice") {
      var chosen = picked.filter(function (el) { return el.name === prefix; }).map(function (el) { return el.value; });
      return { value: chosen, answered: chosen.length > 0 };
    }
    if (type === "matrix" || type === "ranking") {
      return { value: null, answered: picked.length > 0 };
    }
    var main = picked.filter(function (el) { return el.name === prefix; })[0];
    if (!main) { return { value: null, answered: false }; }
    var value = main.value.trim();
    if (type === "number") { value = readNumber(value); }
    if (type === "scale" && value !== "dont_know") { value = parseInt(value, 10); }
    return { value: value, answered: true };
  }

  function holds(condition, lookup) {
    if (!condition) { return true; }
    if (condition.all) { return condition.all.every(function (c) { return holds(c, lookup); }); }
    if (condition.any) { return condition.any.some(function (c) { return holds(c, lookup); }); }
    var answer = lookup(condition.question);
    if ("answered" in condition) { return answer.answered === condition.answered; }
    if (!answer.answered) { return false; }
    var value = answer.value;
    var list = Array.isArray(value);
    if ("equals" in condition) { return list ? value.indexOf(condition.equals) >= 0 : value === condition.equals; }
    if ("not_equals" in condition) { return list ? value.indexOf(condition.not_equals) < 0 : value !== condition.not_equals; }
    if ("any_of" in condition) {
      return condition.any_of.some(function (option) { return list ? value.indexOf(option) >= 0 : value === option; });
    }
    return false;
  }

  function update(form) {
    var conditions = readJSON(form, "data-conditions");
    var earlier = readJSON(form, "data-earlier");
    var types = readJSON(form, "data-types");
    var shown = {};
    var questions = form.querySelectorAll(".question[data-key]");
    function lookup(key) {
      if (key in shown) { return shown[key] ? currentAnswer(form, key, types[key]) : { value: null, answered: false }; }
      return earlier[key] || { value: null, answered: false };
    }
    Array.prototype.forEach.call(questions, function (box) {
      var key = box.getAttribute("data-key");
      var visible = holds(conditions[key], lookup);
      shown[key] = visible;
      box.hidden = !visible;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("page-form");
    if (form) {
      form.addEventListener("change", function () { update(form); });
      form.addEventListener("input", function () { update(form); });
      update(form);
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
