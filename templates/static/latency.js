// Draws a cell's 24-hour latency (average and worst per minute, from the minute rollups) with
// uPlot. The table under the chart says the same by the hour, so the page works without script.
(function () {
  var holder = document.getElementById('latency-chart');
  if (!holder || !window.fetch || !window.uPlot) {
    return;
  }
  fetch(holder.getAttribute('data-src'), {credentials: 'same-origin'}).then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (data) {
    if (!data || !data.minutes.length) {
      return;
    }
    var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    var axis = {stroke: dark ? '#9aa3b1' : '#5b6474', grid: {stroke: dark ? '#2c3440' : '#d9dee6'}};
    var options = {
      width: holder.clientWidth || 800,
      height: 300,
      scales: {x: {time: true}},
      axes: [axis, Object.assign({label: 'ms'}, axis)],
      series: [
        {},
        {label: holder.getAttribute('data-avg'), stroke: dark ? '#8ab4ff' : '#1d5fd1', width: 1},
        {label: holder.getAttribute('data-max'), stroke: dark ? '#f08a4b' : '#e0661b', width: 1}
      ]
    };
    holder.textContent = '';
    new window.uPlot(options, [data.minutes, data.avg_ms, data.max_ms], holder);
  }).catch(function () {});
})();
