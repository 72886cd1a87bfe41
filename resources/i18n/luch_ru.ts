<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AiPanel</name>
    <message>
        <location filename="../../app/ai_panel.py" line="45"/>
        <source>Investigational AI pre-read, not a medical device: a radiologist must review every result.</source>
        <translation>Исследовательский ИИ-анализ, не медицинское изделие: каждый результат проверяет врач-рентгенолог.</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="56"/>
        <source>Run AI</source>
        <translation>Запустить ИИ</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="57"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="58"/>
        <source>Accept AI values</source>
        <translation>Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="60"/>
        <source>Reject</source>
        <translation>Отклонить</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="67"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="98"/>
        <source>AI pre-read running…</source>
        <translation>ИИ анализирует исследование…</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="118"/>
        <source>AI pre-read cancelled</source>
        <translation>Анализ ИИ отменён</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="135"/>
        <source>Involvement: right %1%, left %2%, total %3%</source>
        <translation>Поражение: справа %1%, слева %2%, всего %3%</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="138"/>
        <source>Grade by the worse lung %1, by both lungs %2</source>
        <translation>Степень по худшему лёгкому %1, по обоим лёгким %2</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="140"/>
        <source>GGO %1 mL, consolidation %2 mL</source>
        <translation>«Матовое стекло» %1 мл, консолидация %2 мл</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="142"/>
        <source>COVID-19 pattern: %s</source>
        <translation>Паттерн COVID-19: %s</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="145"/>
        <source>Quality: %s</source>
        <translation>Качество: %s</translation>
    </message>
    <message>
        <location filename="../../app/ai_panel.py" line="146"/>
        <source>%1 on %2 in %3 s</source>
        <translation>%1 на %2 за %3 с</translation>
    </message>
</context>
<context>
    <name>DictationPanel</name>
    <message>
        <location filename="../../app/dictation_panel.py" line="51"/>
        <source>Dictate</source>
        <translation>Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="90"/>
        <source>Dictation could not start: %s</source>
        <translation>Не удалось начать диктовку: %s</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="131"/>
        <source>Choose a field to dictate into</source>
        <translation>Выберите поле для диктовки</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="141"/>
        <source>“%s” does not fit this field</source>
        <translation>«%s» не подходит для этого поля</translation>
    </message>
    <message>
        <location filename="../../app/dictation_panel.py" line="160"/>
        <source>No field called “%s”</source>
        <translation>Нет поля «%s»</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/main_window.py" line="58"/>
        <source>Luch — CT reading workstation</source>
        <translation>Луч — рабочее место врача КТ</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="84"/>
        <source>No study open</source>
        <translation>Исследование не открыто</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="89"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="97"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="98"/>
        <source>Open DICOM &amp;folder…</source>
        <translation>Открыть &amp;папку DICOM…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="100"/>
        <source>Open &amp;file (NIfTI, DICOM)…</source>
        <translation>Открыть &amp;файл (NIfTI, DICOM)…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="103"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="106"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="109"/>
        <source>Layout: %s</source>
        <translation>Раскладка: %s</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="116"/>
        <source>Window: %s</source>
        <translation>Окно: %s</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="119"/>
        <source>Toggle AI &amp;overlay</source>
        <translation>&amp;Разметка ИИ вкл/выкл</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="121"/>
        <source>&amp;Cine</source>
        <translation>&amp;Кино</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="122"/>
        <source>&amp;Anonymize corner text</source>
        <translation>&amp;Анонимизировать надписи</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="124"/>
        <source>&amp;Detach view to a new window</source>
        <translation>&amp;Открепить вид в новое окно</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="127"/>
        <source>&amp;Tools</source>
        <translation>&amp;Инструменты</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="129"/>
        <source>&amp;Window/level (no tool)</source>
        <translation>&amp;Окно/уровень (без инструмента)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="130"/>
        <source>&amp;Distance</source>
        <translation>&amp;Расстояние</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="131"/>
        <source>&amp;Ellipse ROI</source>
        <translation>&amp;Эллиптическая ROI</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="132"/>
        <source>&amp;Freehand ROI</source>
        <translation>&amp;Произвольная ROI</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="149"/>
        <source>Open DICOM folder</source>
        <translation>Открыть папку DICOM</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="155"/>
        <source>Open image</source>
        <translation>Открыть изображение</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="155"/>
        <source>Images (*.nii *.nii.gz *.dcm);;All (*)</source>
        <translation>Изображения (*.nii *.nii.gz *.dcm);;Все файлы (*)</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="167"/>
        <source>Loading %s…</source>
        <translation>Загрузка %s…</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="212"/>
        <source>%1 × %2 × %3 voxels</source>
        <translation>%1 × %2 × %3 вокселей</translation>
    </message>
    <message>
        <location filename="../../app/main_window.py" line="222"/>
        <source>Cannot open study</source>
        <translation>Не удалось открыть исследование</translation>
    </message>
</context>
<context>
    <name>ReportPanel</name>
    <message>
        <location filename="../../app/report_panel.py" line="54"/>
        <source>Additional text (dictate or type)</source>
        <translation>Дополнительный текст (диктовка или ввод)</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="60"/>
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="61"/>
        <source>Sign</source>
        <translation>Подписать</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="100"/>
        <source>Draft restored</source>
        <translation>Черновик восстановлен</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="105"/>
        <source>Report %s</source>
        <translation>Протокол: %s</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="109"/>
        <source>New report</source>
        <translation>Новый протокол</translation>
    </message>
    <message>
        <location filename="../../app/report_panel.py" line="163"/>
        <source>Signed (%s), queued for the archive</source>
        <translation>Подписано (%s), поставлено в очередь в архив</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <location filename="../../app/workflow.py" line="65"/>
        <source>Worklist</source>
        <translation>Рабочий список</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="67"/>
        <source>Report</source>
        <translation>Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="91"/>
        <source>&amp;Report</source>
        <translation>&amp;Протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="93"/>
        <source>Run &amp;AI pre-read</source>
        <translation>Запустить &amp;ИИ-анализ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="95"/>
        <source>&amp;Accept AI values</source>
        <translation>&amp;Принять значения ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="96"/>
        <source>Re&amp;ject AI result</source>
        <translation>О&amp;тклонить результат ИИ</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="97"/>
        <source>&amp;Next field</source>
        <translation>&amp;Следующее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="99"/>
        <source>&amp;Previous field</source>
        <translation>П&amp;редыдущее поле</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="101"/>
        <source>&amp;Sign report</source>
        <translation>П&amp;одписать протокол</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="102"/>
        <source>S&amp;ync now</source>
        <translation>Си&amp;нхронизировать</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="103"/>
        <source>Open next s&amp;tudy</source>
        <translation>Открыть следующее &amp;исследование</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="106"/>
        <source>&amp;Dictate</source>
        <translation>&amp;Диктовка</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="119"/>
        <source>unread</source>
        <translation>не прочитано</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="147"/>
        <source>This study is not on this station yet; sync to fetch it</source>
        <translation>Исследования ещё нет на этой станции; синхронизируйте, чтобы загрузить его</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="171"/>
        <source>Unsigned draft restored</source>
        <translation>Восстановлен неподписанный черновик</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="188"/>
        <source>The AI could not assess this study: nothing to pre-fill</source>
        <translation>ИИ не смог оценить исследование: заполнять нечего</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="193"/>
        <source>AI values filled in; check them</source>
        <translation>Значения ИИ подставлены; проверьте их</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="227"/>
        <source>Archive unreachable; reports stay queued: %s</source>
        <translation>Архив недоступен; протоколы остаются в очереди: %s</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="233"/>
        <source>offline</source>
        <translation>нет связи</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="233"/>
        <source>online</source>
        <translation>на связи</translation>
    </message>
    <message>
        <location filename="../../app/workflow.py" line="234"/>
        <source>Archive: %1 · unsent: %2</source>
        <translation>Архив: %1 · не отправлено: %2</translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <location filename="../../app/worklist_panel.py" line="42"/>
        <source>Search patient, date, grade…</source>
        <translation>Поиск: пациент, дата, степень…</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="48"/>
        <source>Urgency</source>
        <translation>Срочность</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="48"/>
        <source>Patient</source>
        <translation>Пациент</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="48"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="48"/>
        <source>Modality</source>
        <translation>Модальность</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="49"/>
        <source>AI grade</source>
        <translation>Степень (ИИ)</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="49"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../app/worklist_panel.py" line="67"/>
        <source>Anonymized</source>
        <translation>Анонимизировано</translation>
    </message>
</context>
</TS>
