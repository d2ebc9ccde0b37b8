/// The report's inline style and script (a report loads nothing from the network).
enum HTMLReportAssets {
    static let css = """
        :root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--skip:#6e7781;--line:#d0d7de;--bg:#f6f8fa}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328}
        header{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 20px;z-index:2}
        h1{font-size:20px;margin:4px 0}main{padding:0 20px 40px}
        .filters button{border:1px solid var(--line);background:#fff;border-radius:4px;padding:2px 10px;margin-right:4px;cursor:pointer}
        .filters button.on{background:#0969da;color:#fff;border-color:#0969da}.filters input{margin-left:8px;padding:2px 6px;width:260px}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
        th{background:var(--bg)}td.id{white-space:nowrap;font-weight:600}
        .coverage tr.passed td.verdict{color:var(--ok)}.coverage tr.failed td.verdict,.coverage tr.partial td.verdict{color:var(--bad)}
        .coverage tr.uncovered td.verdict,.coverage tr.expected-failure td.verdict{color:var(--warn)}.coverage tr.not-applicable td.verdict{color:var(--skip)}
        a.passed{color:var(--ok)}a.failed{color:var(--bad)}a.expected-failure{color:var(--warn)}a.not-applicable{color:var(--skip)}
        details.scenario{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
        details.scenario>summary{cursor:pointer}details.failed{border-color:var(--bad)}
        .mark{font-weight:700}.passed .mark{color:var(--ok)}.failed .mark{color:var(--bad)}.expected-failure .mark{color:var(--warn)}
        .not-applicable .mark{color:var(--skip)}.covers,.time,.status{color:#57606a;font-size:12px;margin-left:6px}
        .message{color:var(--bad);white-space:pre-wrap}.diff pre{margin:0;white-space:pre-wrap;word-break:break-all}
        .diagram{overflow-x:auto;margin:8px 0}
        svg.sequence{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
        svg .lane{stroke:#afb8c1;stroke-dasharray:4 4}svg .lane-box{fill:var(--bg);stroke:#8c959f}
        svg .lane-title{font-weight:700;fill:#1f2328}svg .band{fill:#eef1f4}svg .band-title{fill:#57606a;font-style:italic}
        svg .hop{cursor:pointer}svg .hop .hit{fill:transparent}svg .hop:hover .hit,svg .hop.selected .hit{fill:#ddf4ff}
        svg .arrow{stroke:#24292f;stroke-width:1.4;fill:none}svg .back .arrow{stroke-dasharray:6 3;stroke:#8250df}
        svg .error .arrow{stroke:var(--bad)}svg .error .label{fill:var(--bad)}svg .label{fill:#24292f}
        svg marker path{fill:#24292f}
        .panel{border:1px solid var(--line);background:var(--bg);border-radius:6px;padding:8px;margin:8px 0}
        .panel h5{margin:8px 0 2px}.panel pre{background:#fff;border:1px solid var(--line);padding:6px;overflow:auto;max-height:420px;margin:0}
        .page-view{width:100%;height:420px;border:1px solid var(--line);margin-top:6px;background:#fff}
        .pages button{border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer}
        """

    /// Click an arrow: its decoded parts appear in the scenario's panel. Click a page: it
    /// shows in a sandboxed frame (no scripts). Filters and search hide scenarios. At the
    /// end the script checks that every diagram drew all its arrows and says so on
    /// `body[data-report-status]` — what the Chromium test reads.
    static let script = """
        (function(){
          'use strict';
          var failures=[];
          window.addEventListener('error',function(e){failures.push(String(e.message));document.body.dataset.reportStatus='error: '+failures.join('; ');});
          var cache={};
          function data(i){if(!cache[i]){var el=document.getElementById('data-'+i);cache[i]=el?JSON.parse(el.textContent):{events:[],pages:[]};}return cache[i];}
          function element(tag,text,cls){var e=document.createElement(tag);if(text!==undefined)e.textContent=text;if(cls)e.className=cls;return e;}
          function show(g){
            var s=g.getAttribute('data-scenario'),i=Number(g.getAttribute('data-event'));
            var ev=data(s).events[i];var panel=document.getElementById('panel-'+s);if(!ev||!panel)return;
            var svg=g.ownerSVGElement;svg.querySelectorAll('.hop.selected').forEach(function(x){x.classList.remove('selected');});g.classList.add('selected');
            panel.replaceChildren(element('strong',ev.title),element('div',ev.channel,'channel'));
            if(ev.parts.length===0)panel.appendChild(element('p','Nothing to decode: no parameters, form or body.'));
            ev.parts.forEach(function(p){panel.appendChild(element('h5',p.title));panel.appendChild(element('pre',p.body));});
            panel.hidden=false;
          }
          document.querySelectorAll('svg.sequence .hop').forEach(function(g){
            g.addEventListener('click',function(){show(g);});
            g.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(g);}});
          });
          document.querySelectorAll('.pages button').forEach(function(b){
            b.addEventListener('click',function(){
              var s=b.getAttribute('data-scenario'),frame=document.getElementById('page-'+s);
              frame.srcdoc=data(s).pages[Number(b.getAttribute('data-page'))]||'';frame.hidden=false;
            });
          });
          var filter='all';
          function apply(){
            var q=document.getElementById('search').value.toLowerCase();
            document.querySelectorAll('details.scenario').forEach(function(d){
              var ok=(filter==='all'||d.classList.contains(filter))&&(q===''||d.getAttribute('data-search').indexOf(q)>=0);
              d.style.display=ok?'':'none';
            });
          }
          document.querySelectorAll('.filters button').forEach(function(b){
            b.addEventListener('click',function(){filter=b.getAttribute('data-filter');
              document.querySelectorAll('.filters button').forEach(function(x){x.classList.toggle('on',x===b);});apply();});
          });
          document.getElementById('search').addEventListener('input',apply);
          var expected=0,drawn=0;
          document.querySelectorAll('svg.sequence').forEach(function(svg){expected+=Number(svg.getAttribute('data-events'));drawn+=svg.querySelectorAll('.hop').length;});
          var decodable=0;Object.keys(document.querySelectorAll('script[type="application/json"]')).forEach(function(k){decodable+=data(k).events.length;});
          document.body.dataset.hops=String(drawn);
          if(failures.length===0)document.body.dataset.reportStatus=(drawn===expected&&decodable===expected)?'ok':'incomplete: '+drawn+' of '+expected+' arrows, '+decodable+' decodable';
        })();
        """
}
