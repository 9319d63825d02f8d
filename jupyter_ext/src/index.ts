import { panelPlugin } from './plugins/panel';
import { palettePlugin } from './plugins/palette';
import { viewsPlugin } from './plugins/views';

export default [panelPlugin, viewsPlugin, palettePlugin];
