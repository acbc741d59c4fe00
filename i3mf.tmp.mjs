import sharp from 'sharp';
import { extractSeeds } from '/work/wt-issue3/dist/src/core/seeds/extract-seeds.js';
import { seedColors } from '/work/wt-issue3/dist/src/core/seeds/distinct-colors.js';
import { kmeans } from '/work/wt-issue3/dist/src/core/kmeans/kmeans.js';
import { createColorModel } from '/work/wt-issue3/dist/src/core/model/color-model.js';
import * as mf from '/work/wt-issue3/dist/src/core/refine/maxflow.js';
import { refineSegmentation, REFINE_DEFAULTS } from '/work/wt-issue3/dist/src/core/refine/refine.js';
const orig = mf.solveGridMaxflow;
const dir='/work/shared/datasets/grabcut/';
const name = process.argv[3] || '106024';
const mp = Number(process.argv[2] || 1);
const meta = await sharp(dir+'images/'+name+'.png').metadata();
const s = Math.sqrt(mp*1e6/(meta.width*meta.height));
const W=Math.round(meta.width*s), H=Math.round(meta.height*s);
const ld = async (sub,kernel)=>{const {data}=await sharp(dir+sub+'/'+name+'.png').removeAlpha().resize(W,H,{kernel,fit:'fill'}).raw().toBuffer({resolveWithObject:true}); return {width:W,height:H,data:new Uint8Array(data)}};
const image = await ld('images', mp===0? 'nearest':'cubic');
const seeds = extractSeeds(await ld('strokes','nearest'));
const fit = (l) => createColorModel(kmeans(seedColors(image, seeds, l), 70, {seed:0}));
const models = { foreground: fit(1), background: fit(2) };
for (const it of [1,5]) {
const t=performance.now();
const r = refineSegmentation(image, seeds, models, { ...REFINE_DEFAULTS, k:70, seed:0, maxIterations:100, smooth: Number(process.argv[4]||100), iterations: it });
console.log(W+'x'+H, 'cuts', r.cuts, 'ms', (performance.now()-t).toFixed(0), JSON.stringify(Object.fromEntries(Object.entries(r.timings).map(([k,v])=>[k,Math.round(v)]))));
}
