// Runs before the first paint (a classic script in <head>): marks that the page's script will
// run, so that the controls it brings to life (search, filters, "Show in source", "Cite", the
// source tabs) are drawn from the start. Without JavaScript this never runs and they stay out.
document.documentElement.classList.add("js");
