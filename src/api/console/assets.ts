/** The console's stylesheet, served from this process (the CSP allows only self). */
export const CONSOLE_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; }
main { padding: 1rem 1.5rem; }
.bar { display: flex; gap: 1rem; align-items: center; padding: .5rem 1.5rem; background: #17324d; color: #fff; }
.bar a { color: #fff; } .brand { font-weight: bold; text-decoration: none; } .who { margin-left: auto; }
.bar form { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f4; }
thead button { all: unset; cursor: pointer; text-decoration: underline; }
.problem-row { background: #fdecea; }
.badge { background: #a4000f; color: #fff; border-radius: .3rem; padding: 0 .3rem; font-size: .8rem; }
.problem { color: #a4000f; }
.held { border: 2px solid #a4000f; padding: .5rem 1rem; margin: 1rem 0; }
.danger { background: #a4000f; color: #fff; border: 0; padding: .4rem .8rem; border-radius: .3rem; }
del { color: #a4000f; } ins { color: #05612d; }
.added { color: #05612d; display: block; } .removed { color: #a4000f; display: block; }
.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
.facts dd { margin: 0; }
.login { max-width: 24rem; margin: 4rem auto; }
.login input { display: block; width: 100%; margin: .3rem 0 .8rem; }
ul.changes { margin: 0; padding-left: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; } .actions form { margin: 0; }
form.search { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; } caption { text-align: left; font-weight: bold; } .steps > li { margin-bottom: 1.2rem; } .steps h3 { margin: .3rem 0; font-size: 1.05rem; } .decided { font-weight: bold; }
#log { width: 100%; } #log td:first-child, #log td:last-child, #log th[scope="row"] { white-space: nowrap; }
.pickers { display: flex; gap: 2rem; flex-wrap: wrap; } .picker { display: flex; flex-direction: column; gap: .3rem; min-width: 20rem; }
.combo { position: relative; } .combo input { width: 100%; box-sizing: border-box; }
[role="listbox"] { position: absolute; z-index: 1; left: 0; right: 0; margin: 0; padding: 0; list-style: none; background: #fff; border: 1px solid #6b6b6b; max-height: 16rem; overflow-y: auto; }
[role="option"] { padding: .3rem .5rem; cursor: pointer; } [role="option"][aria-selected="true"], [role="option"]:hover { background: #17324d; color: #fff; }
[role="option"] .detail { color: inherit; opacity: .8; font-size: .9rem; }
.trace h3 { margin-bottom: .2rem; } .trace td.details { font-family: ui-monospace, monospace; font-size: .85rem; max-width: 60rem; word-break: break-word; }
.status-success { color: #05612d; } .status-failure { color: #a4000f; } .status-in-progress { color: #6b4e00; }
`;
