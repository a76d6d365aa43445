%% The comparison's workloads on the BEAM, with gen_servers, shaped as
%% bench/compare/*.ts shapes them for beamlet (see there for each one).
%% Run by bench/compare/main.ts with one scheduler:
%%
%%   erlc -o /tmp bench/compare/beam/bench.erl
%%   erl +S 1:1 +P 4000000 -noshell -pa /tmp -run bench main [quick] [n=100000]
%%
%% Prints one line per row: id, unit, median, min, max, note (tab-separated).
-module(bench).
-behaviour(gen_server).
-export([main/1, init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(BATCH, 1000).
-define(RING, 1000).
-define(FLOOD, 1000000).
-define(MAX_CALLS, 1000).
-define(MAX_MS, 300).

main(Args) ->
    Quick = lists:member("quick", Args),
    N = lists:foldl(fun("n=" ++ V, _) -> list_to_integer(V); (_, Acc) -> Acc end,
                    100000, Args),
    S = case Quick of
            true -> #{quick => true, samples => 5, sample_ms => 60, warmup_ms => 120};
            false -> #{quick => false, samples => 7, sample_ms => 120, warmup_ms => 250}
        end,
    Steps = [fun cast/1, fun call_outside/1, fun call_between/1, fun ping_pong/1,
             fun ring/1, fun spawn_exit/1, fun fairness/1, fun(_) -> idle(N) end],
    lists:foreach(fun(Step) -> [row(R) || R <- lists:flatten([Step(S)])] end, Steps),
    halt(0).

row({Id, Unit, {Med, Min, Max}, Note}) ->
    io:format("~s\t~s\t~.6f\t~.6f\t~.6f\t~ts~n",
              [Id, Unit, float(Med), float(Min), float(Max), Note]).

%% ---------------------------------------------------------------------------
%% Measuring: warm-up and calibration to about sample_ms per sample, then
%% `samples` samples; the median, lowest and highest rate.

now_ms() -> erlang:monotonic_time(microsecond) / 1000.

measure(F, #{samples := Samples, sample_ms := SampleMs, warmup_ms := WarmupMs}) ->
    Ops = calibrate(F, 64, now_ms() + WarmupMs, SampleMs, 0.0),
    stat([rate(F, Ops) || _ <- lists:seq(1, Samples)]).

calibrate(F, Ops, End, SampleMs, PerOp) ->
    case now_ms() < End of
        true ->
            T0 = now_ms(),
            F(Ops),
            P = (now_ms() - T0) / Ops,
            Next = case P * Ops < SampleMs / 4 of true -> Ops * 2; false -> Ops end,
            calibrate(F, Next, End, SampleMs, P);
        false ->
            max(64, round(SampleMs / max(PerOp, 1.0e-9)))
    end.

rate(F, Ops) ->
    T0 = now_ms(),
    F(Ops),
    Ops / ((now_ms() - T0) / 1000).

stat(Values) ->
    Sorted = lists:sort(Values),
    Len = length(Sorted),
    Median = case Len rem 2 of
                 1 -> lists:nth(Len div 2 + 1, Sorted);
                 0 -> (lists:nth(Len div 2, Sorted) + lists:nth(Len div 2 + 1, Sorted)) / 2
             end,
    {Median, hd(Sorted), lists:last(Sorted)}.

percentile(Values, P) ->
    Sorted = lists:sort(Values),
    lists:nth(max(1, min(length(Sorted), ceil(P * length(Sorted)))), Sorted).

start(State) ->
    {ok, Pid} = gen_server:start(?MODULE, State, []),
    Pid.

%% Kills and waits: a dying process's memory must not count in the next row.
stop_all(Pids) ->
    Refs = [{monitor(process, P), P} || P <- Pids],
    [exit(P, kill) || P <- Pids],
    [receive {'DOWN', Ref, process, P, _} -> ok end || {Ref, P} <- Refs],
    ok.

%% ---------------------------------------------------------------------------
%% The workloads.

cast(S) ->
    Server = start({sum, 0}),
    Client = start({client, Server, 0}),
    Stat = measure(fun(Ops) -> gen_server:call(Client, {run, Ops}, infinity) end, S),
    HighWater = gen_server:call(Client, high_water),
    stop_all([Server, Client]),
    {"cast", "ops/s", Stat,
     io_lib:format("server mailbox high-water (sampled once per batch of ~b): ~b",
                   [?BATCH, HighWater])}.

call_outside(S) ->
    Echo = start({echo}),
    Stat = measure(fun(Ops) -> call_loop(Echo, Ops, 0) end, S),
    stop_all([Echo]),
    {"call_outside", "ops/s", Stat, ""}.

call_loop(_, 0, Sum) -> Sum;
call_loop(Server, N, Sum) -> call_loop(Server, N - 1, Sum + gen_server:call(Server, N)).

call_between(S) ->
    Echo = start({echo}),
    Caller = start({caller, Echo}),
    Stat = measure(fun(Ops) -> gen_server:call(Caller, {loop, Ops}, infinity) end, S),
    stop_all([Echo, Caller]),
    {"call_between", "ops/s", Stat, ""}.

ping_pong(S) ->
    Ping = start({ping, undefined, 0, undefined}),
    Pong = start({pong, Ping}),
    gen_server:cast(Ping, {set_pong, Pong}),
    Stat = measure(fun(Ops) -> gen_server:call(Ping, {go, Ops}, infinity) end, S),
    stop_all([Ping, Pong]),
    {"ping_pong", "ops/s", Stat, ""}.

ring(S) ->
    Ring = [start({ring, undefined}) || _ <- lists:seq(1, ?RING)],
    Nexts = tl(Ring) ++ [hd(Ring)],
    lists:foreach(fun({P, Next}) -> gen_server:cast(P, {next, Next}) end,
                  lists:zip(Ring, Nexts)),
    Stat = measure(fun(Ops) -> gen_server:call(hd(Ring), {hops, Ops}, infinity) end, S),
    stop_all(Ring),
    {"ring", "ops/s", Stat, ""}.

spawn_exit(S) ->
    Outside = measure(fun(Ops) -> spawn_loop(Ops, undefined) end, S),
    Spawner = start({spawner}),
    Inside = measure(fun(Ops) -> gen_server:call(Spawner, {spawn, Ops}, infinity) end, S),
    stop_all([Spawner]),
    {Raw, _, _} = measure(fun(Ops) -> raw_spawn_loop(Ops, undefined) end, S),
    Note = io_lib:format("gen_server:start + a cast it stops on; "
                         "a bare spawn + message + exit: ~.1f k/s", [Raw / 1000]),
    [{"spawn_exit", "ops/s", Outside, Note}, {"spawn_exit_inside", "ops/s", Inside, ""}].

spawn_loop(0, Last) -> wait_exit(Last);
spawn_loop(N, _) ->
    P = start({stopper}),
    gen_server:cast(P, stop),
    spawn_loop(N - 1, P).

raw_spawn_loop(0, Last) -> wait_exit(Last);
raw_spawn_loop(N, _) ->
    P = spawn(fun() -> receive stop -> ok end end),
    P ! stop,
    raw_spawn_loop(N - 1, P).

wait_exit(undefined) -> ok;
wait_exit(P) ->
    Ref = monitor(process, P),
    receive {'DOWN', Ref, process, P, _} -> ok end.

fairness(#{quick := Quick}) ->
    Rounds = case Quick of true -> 3; false -> 5 end,
    Flag = atomics:new(1, []),
    Neighbour = start({neighbour, Flag}),
    Light = start({echo}),
    Client = start({fair_client, Light}),
    fair_round(Flag, Neighbour, Client, ?FLOOD div 10),
    Results = [fair_round(Flag, Neighbour, Client, ?FLOOD) || _ <- lists:seq(1, Rounds)],
    stop_all([Neighbour, Light, Client]),
    Calls = lists:sum([length(L) || L <- Results]) div Rounds,
    {"fairness", "ms", stat([percentile(L, 0.99) || L <- Results]),
     io_lib:format("calls timed per round (at most ~b or ~b ms): ~b",
                   [?MAX_CALLS, ?MAX_MS, Calls])}.

fair_round(Flag, Neighbour, Client, Flood) ->
    atomics:put(Flag, 1, 1),
    [gen_server:cast(Neighbour, 1) || _ <- lists:seq(1, Flood)],
    Latencies = gen_server:call(Client, go, infinity),
    atomics:put(Flag, 1, 0),
    drained(Neighbour),
    Latencies.

drained(P) ->
    case process_info(P, message_queue_len) of
        {message_queue_len, 0} -> ok;
        _ -> timer:sleep(1), drained(P)
    end.

timed_calls(Light) ->
    timed_calls(Light, 0, now_ms() + ?MAX_MS, []).
timed_calls(_, ?MAX_CALLS, _, Acc) -> Acc;
timed_calls(Light, I, End, Acc) ->
    T0 = now_ms(),
    gen_server:call(Light, I),
    T1 = now_ms(),
    case T1 > End of
        true -> [T1 - T0 | Acc];
        false -> timed_calls(Light, I + 1, End, [T1 - T0 | Acc])
    end.

idle(N) ->
    erlang:garbage_collect(),
    M0 = erlang:memory(processes),
    R0 = rss(),
    Pids = [start({idle}) || _ <- lists:seq(1, N)],
    erlang:garbage_collect(),
    M1 = erlang:memory(processes),
    R1 = rss(),
    {memory, One} = process_info(hd(Pids), memory),
    stop_all(Pids),
    Heap = (M1 - M0) / N,
    Rss = (R1 - R0) / N,
    [{"idle_heap", "bytes", {Heap, Heap, Heap},
      io_lib:format("erlang:memory(processes) per process, N = ~b; process_info(memory) of one: ~b B",
                    [N, One])},
     {"idle_rss", "bytes", {Rss, Rss, Rss}, io_lib:format("N = ~b", [N])}].

rss() ->
    list_to_integer(string:trim(os:cmd("ps -o rss= -p " ++ os:getpid()))) * 1024.

%% ---------------------------------------------------------------------------
%% One gen_server module for every role, told apart by the state's tag.

init(State) -> {ok, State}.

handle_call({run, Left}, From, State = {client, _, _}) ->
    gen_server:cast(self(), {job, Left, From}),
    {noreply, State};
handle_call(high_water, _From, State = {client, _, HighWater}) ->
    {reply, HighWater, State};
handle_call(I, _From, State = {echo}) ->
    {reply, I + 1, State};
handle_call({loop, N}, _From, State = {caller, Server}) ->
    {reply, call_loop(Server, N, 0), State};
handle_call({go, N}, From, {ping, Pong, _, _}) ->
    gen_server:cast(Pong, ball),
    {noreply, {ping, Pong, N, From}};
handle_call({hops, N}, From, State = {ring, Next}) ->
    gen_server:cast(Next, {N - 1, From}),
    {noreply, State};
handle_call({spawn, N}, _From, State = {spawner}) ->
    spawn_loop(N, undefined),
    {reply, N, State};
handle_call(go, _From, State = {fair_client, Light}) ->
    {reply, timed_calls(Light), State};
handle_call(get, _From, State = {idle}) ->
    {reply, ok, State}.

handle_cast(N, {sum, Sum}) when is_integer(N) ->
    {noreply, {sum, Sum + N}};
handle_cast({done, From}, State = {sum, Sum}) ->
    gen_server:reply(From, Sum),
    {noreply, State};
handle_cast({job, Left, From}, {client, Server, HighWater}) ->
    N = min(?BATCH, Left),
    cast_n(Server, N),
    {message_queue_len, Len} = process_info(Server, message_queue_len),
    case Left > N of
        true -> gen_server:cast(self(), {job, Left - N, From});
        false -> gen_server:cast(Server, {done, From})
    end,
    {noreply, {client, Server, max(HighWater, Len)}};
handle_cast({set_pong, Pong}, {ping, _, Left, From}) ->
    {noreply, {ping, Pong, Left, From}};
handle_cast(ball, {ping, Pong, Left, From}) when Left > 1 ->
    gen_server:cast(Pong, ball),
    {noreply, {ping, Pong, Left - 1, From}};
handle_cast(ball, {ping, Pong, _, From}) ->
    gen_server:reply(From, ok),
    {noreply, {ping, Pong, 0, undefined}};
handle_cast(ball, State = {pong, Ping}) ->
    gen_server:cast(Ping, ball),
    {noreply, State};
handle_cast({next, Next}, {ring, _}) ->
    {noreply, {ring, Next}};
handle_cast({0, From}, State = {ring, _}) ->
    gen_server:reply(From, ok),
    {noreply, State};
handle_cast({N, From}, State = {ring, Next}) ->
    gen_server:cast(Next, {N - 1, From}),
    {noreply, State};
handle_cast(stop, State = {stopper}) ->
    {stop, normal, State};
handle_cast(N, State = {neighbour, Flag}) ->
    case atomics:get(Flag, 1) of
        1 -> gen_server:cast(self(), N);
        _ -> ok
    end,
    {noreply, State}.

handle_info(_Message, State) -> {noreply, State}.

cast_n(_, 0) -> ok;
cast_n(Server, N) ->
    gen_server:cast(Server, N band 7),
    cast_n(Server, N - 1).
