/**
 * Entry point of the web lab: styles, then the app mounted on #app.
 */
import 'katex/dist/katex-swap.min.css';
import './style.css';
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) render(<App />, root);
