// The drawn signature: a canvas that follows the pointer and exports a PNG.

/** A canvas to sign on with a mouse, a finger or a stylus. */
export class SignaturePad {
  readonly canvas: HTMLCanvasElement;
  private drawing = false;
  private strokes = 0;

  constructor(onChange: () => void) {
    const canvas = document.createElement('canvas');
    canvas.width = 600;
    canvas.height = 200;
    canvas.className = 'signature';
    this.canvas = canvas;
    const context = canvas.getContext('2d');
    const point = (event: PointerEvent): [number, number] => {
      const box = canvas.getBoundingClientRect();
      return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (!context) return;
      this.drawing = true;
      canvas.setPointerCapture?.(event.pointerId);
      context.lineWidth = 3;
      context.lineCap = 'round';
      context.lineJoin = 'round';
      context.strokeStyle = '#111827';
      context.beginPath();
      context.moveTo(...point(event));
      event.preventDefault();
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!this.drawing || !context) return;
      context.lineTo(...point(event));
      context.stroke();
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.strokes += 1;
      onChange();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Whether anything was drawn. */
  get isEmpty(): boolean {
    return this.strokes === 0;
  }

  /** Wipes the canvas. */
  clear(): void {
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.strokes = 0;
  }

  /** The drawing as base64 PNG (no data: prefix), or null when nothing was drawn. */
  toPngBase64(): string | null {
    if (this.isEmpty) return null;
    return this.canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }
}
