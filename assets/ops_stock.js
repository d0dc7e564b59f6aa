// Count sheet: the Undo and Redo buttons drive ag-grid's own undo/redo of cell edits (the
// same as Ctrl+Z / Ctrl+Y in the grid).
(function () {
  "use strict";
  const GRID = "ops-stock-count-grid";
  function step(name) {
    return function (clicks) {
      const api = window.dash_ag_grid && window.dash_ag_grid.getApi(GRID);
      if (clicks && api) {
        api[name]();
      }
      return window.dash_clientside.no_update;
    };
  }
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    vx_stock: {undo: step("undoCellEditing"), redo: step("redoCellEditing")},
  });
})();
