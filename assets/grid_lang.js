// Grids in the user's language (callbacks/shared/grid_locale.py). AG Grid reads its pager and filter
// texts once, when it is built, so a grid built with the layout's Vietnamese texts keeps them.
// Each grid sits in a box whose child has the language in its id; a new id makes Dash build a
// new grid, with the props it has now (rows, columns) and the texts of the language.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  vx: Object.assign({}, (window.dash_clientside || {}).vx, {
    gridsInLanguage: function (lang, _boxIds, texts, boxes) {
      const noUpdate = window.dash_clientside.no_update;
      const want = texts && texts[lang] ? lang : "vi";
      return (boxes || []).map(function (children) {
        const inner = Array.isArray(children) ? children[0] : children;
        if (!inner || !inner.props || !inner.props.id || inner.props.id.lang === want) {
          return noUpdate;
        }
        const grid = inner.props.children;
        const options = Object.assign({}, grid.props.dashGridOptions, {localeText: texts[want]});
        return [Object.assign({}, inner, {
          props: Object.assign({}, inner.props, {
            id: Object.assign({}, inner.props.id, {lang: want}),
            children: Object.assign({}, grid, {
              props: Object.assign({}, grid.props, {dashGridOptions: options}),
            }),
          }),
        })];
      });
    },
  }),
});
