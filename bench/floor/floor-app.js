// The bare cdktf CLI floor: a trivial app with one empty stack, on the same node_modules.
const { App, TerraformStack } = require("cdktf");
const app = new App();
new TerraformStack(app, "floor");
app.synth();
