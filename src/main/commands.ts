// Imports every subcommand module; each registers itself with registerCommand().
import './cmd-apiserver.js';
import './cmd-template.js';
import './cmd-up.js';
import './cmd-cluster.js';
import './cmd-controller.js';
import './cmd-sveltosctl.js';
import './cmd-cloudevent.js';
import './cmd-repo.js';
