// Benchmark site for Eleventy: one page per essay plus an index, nothing else.
// Markdown is rendered as Markdown only (no Liquid pass), as the other generators do.
module.exports = function (eleventyConfig) {
  eleventyConfig.addCollection("essays", (api) => api.getFilteredByGlob("./src/essays/*.md").reverse());
  eleventyConfig.addFilter("isodate", (d) => d.toISOString().slice(0, 10));
  return {
    dir: { input: "src", output: "_site" },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
};
