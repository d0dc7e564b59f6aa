// The portal's registration page (callbacks/portal/register.py): the registration code prints on
// its own (assets/portal_register.css hides the rest under @media print).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  vxPortalRegister: {
    print: function (clicks) {
      if (clicks) {
        window.print();
      }
      return clicks || 0;
    },
  },
});
