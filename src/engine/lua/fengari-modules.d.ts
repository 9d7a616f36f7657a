// fengari ships no type declarations; the engine reaches its internals through these handles.
declare module 'fengari' {
  const fengari: any;
  export default fengari;
}
declare module 'fengari/src/lobject.js' {
  const lobject: any;
  export default lobject;
}
declare module 'fengari/src/lstring.js' {
  const lstring: any;
  export default lstring;
}
declare module 'fengari/src/ltable.js' {
  const ltable: any;
  export default ltable;
}
declare module 'fengari/src/ldebug.js' {
  const ldebug: any;
  export default ldebug;
}
declare module 'fengari/src/lstate.js' {
  const lstate: any;
  export default lstate;
}
