// The registrations page (callbacks/ops/registrations.py): AG Grid's infinite row model keeps the
// blocks it has read; a new query (district, facility, search) empties them, so the grid asks the
// server again from the first row.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  vxRegistrations: {
    purge: function (_query, gridId) {
      if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
        window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
          api.purgeInfiniteCache();
          api.deselectAll();
        });
      }
      return Date.now();
    },
    // The reject report the upload answered with, as dcc.Download saves it.
    saveReport: function (_clicks, report) {
      if (!report || typeof report.csv !== "string") {
        return window.dash_clientside.no_update;
      }
      return {content: report.csv, filename: report.name, type: "text/csv", base64: false};
    },
  },
});
