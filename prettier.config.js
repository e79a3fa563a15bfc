// The formatter (`npm run format`, `npm run format:check`), set to the style the code was
// written in: single quotes, trailing commas, and lines up to 160 characters (the width
// that changes the fewest existing lines). .prettierignore keeps it off the docs.
export default {
  printWidth: 160,
  singleQuote: true,
  trailingComma: 'all',
};
