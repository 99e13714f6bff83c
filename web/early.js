// Runs before the first paint (a classic script in <head>): marks that the page's script will
// fill the record in, so that the parts it fills stay invisible until they are complete and
// nothing moves under the reader. Without JavaScript this never runs and nothing is hidden.
document.documentElement.classList.add("js");
