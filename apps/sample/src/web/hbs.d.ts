/** The part of hbs (Handlebars for Express) the sample uses; the package ships no types. */
declare module 'hbs' {
  interface HbsInstance {
    __express: (path: string, options: object, callback: (err: Error | null, html?: string) => void) => void;
    registerHelper(name: string, helper: (...args: any[]) => unknown): void;
  }
  const hbs: HbsInstance & { create(): HbsInstance };
  export default hbs;
}
