// Entry point: importing this module (or loading the classic script) defines <probant-capture>.

import { defineProbantCapture, ProbantCaptureElement } from './element';

defineProbantCapture();

export { defineProbantCapture, ProbantCaptureElement };
